"""Shared test settings."""
import os

from hypothesis import settings

# Property tests: no per-example deadline (CI machines are slow and shared); under CI the
# examples are derandomized so that a red run can be reproduced exactly.
settings.register_profile("dev", deadline=None, max_examples=60)
settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
