"""PyTorch checkpoint scanner: zip (torch.save, torch.jit.save), legacy pickle sequence and legacy tar."""

from mlwarden.scanners.pytorch.rules import TORCH_RULES
from mlwarden.scanners.pytorch.scanner import PyTorchScanner

__all__ = ["TORCH_RULES", "PyTorchScanner"]
