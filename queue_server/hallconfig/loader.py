"""Load, validate and write hall configuration files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from queue_server.hallconfig.schema import HallConfig


class ConfigError(ValueError):
    """Raised with a readable reason when a hall file is not valid."""


def bundled_yaml() -> str:
    """Return the default hall shipped with the package."""
    return resources.files("queue_server.hallconfig").joinpath("default_hall.yaml").read_text(
        encoding="utf-8"
    )


def parse(text: str) -> HallConfig:
    """Parse and validate hall YAML."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError("the hall file must be a mapping")
    try:
        return HallConfig.model_validate(data)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def load_file(path: Path) -> HallConfig:
    """Read and validate a hall file."""
    return parse(path.read_text(encoding="utf-8"))


def dump(config: HallConfig) -> str:
    """Serialise a configuration back to YAML that parse() accepts."""
    data = config.model_dump(mode="json")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
