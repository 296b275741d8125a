"""A Personal Access Token and its account, as the sub-command tests use them."""

from __future__ import annotations

import base64

ACCOUNT = "e5a2f2c1-7f0f-4d7e-9f3b-0c4a8b1d2e3f"
PAT = "PAT-s3cr3t-value-xyz"
BASIC = "Basic " + base64.b64encode(f"{ACCOUNT}:{PAT}".encode()).decode()
"""The Authorization header the PAT makes."""
