"""The sub-command tests start from an environment without any of the console's variables."""

from __future__ import annotations

import pytest

from lcconsole import config

ENV_NAMES = sorted(value for name, value in vars(config).items() if name.startswith("ENV_"))


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
