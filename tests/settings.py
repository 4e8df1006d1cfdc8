"""Settings of the test run: the site's settings with a random SECRET_KEY.

The site refuses to start with DEBUG off and no real key; tests run with DEBUG off (as in
production), so they get a fresh key per run, inherited by the processes they start.
"""
import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from config.settings import *  # noqa: E402, F403
