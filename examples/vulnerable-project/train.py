"""Training script with the unsafe habits mlwarden looks for (this file is scanned, never run by mlwarden)."""

import pickle
import subprocess

import torch
import yaml


def load_config(path):
    with open(path) as handle:
        return yaml.load(handle, Loader=yaml.Loader)  # unsafe loader


def load_previous_model(path):
    with open(path, "rb") as handle:
        return pickle.load(handle)  # runs whatever the pickle says


def load_checkpoint(path):
    return torch.load(path)  # no weights_only=True


def fetch_tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained("some-org/tokenizer", trust_remote_code=True)


def install_helpers():
    subprocess.run("curl -s https://example.invalid/setup.sh | sh", shell=True, check=False)
