"""Platform checks: Dockerfiles, Kubernetes manifests, docker-compose files and CI pipelines around a model."""

from mlwarden.scanners.platform.scanner import PlatformScanner

__all__ = ["PlatformScanner"]
