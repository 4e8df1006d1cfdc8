"""The production recipe in deploy/: the configs render, nginx accepts its own, and the
supervisor runs web, worker and beat with the flags that survive broker loss."""
from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ON_CI

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def rendered(name: str, tmp_path: Path) -> str:
    from deploy.render import render

    values = {"RUN_DIR": str(tmp_path), "LOG_DIR": str(tmp_path), "LISTEN": "127.0.0.1:8080",
              "MEDIA_ROOT": str(tmp_path / "media"), "STATIC_ROOT": str(tmp_path / "static")}
    return render((DEPLOY / name).read_text(), values)


def test_nginx_accepts_the_recipe(tmp_path):
    if shutil.which("nginx") is None:
        if ON_CI:
            pytest.fail("nginx is not installed")
        pytest.skip("nginx is not installed")
    config = tmp_path / "nginx.conf"
    config.write_text(rendered("nginx.conf.template", tmp_path))

    result = subprocess.run(["nginx", "-t", "-c", str(config)], capture_output=True,
                            text=True, timeout=30)

    assert result.returncode == 0, result.stderr
    text = config.read_text()
    for directive in ("proxy_request_buffering on;", "client_body_timeout 10s;", "gzip on;",
                      "limit_req_status 429;", "zone=logins", "location /static/",
                      "location /media/"):
        assert directive in text
    assert re.search(r"\$\{[A-Z_]+\}", text) is None


def test_the_supervisor_restarts_web_worker_and_beat(tmp_path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(rendered("supervisord.conf.template", tmp_path))

    programs = {section.removeprefix("program:"): parser[section]
                for section in parser.sections() if section.startswith("program:")}

    assert set(programs) == {"web", "worker", "beat"}
    assert all(program["autorestart"] == "true" for program in programs.values())
    assert all(program["killasgroup"] == "true" for program in programs.values())
    worker = programs["worker"]["command"]
    for flag in ("--without-gossip", "--without-mingle", "--without-heartbeat"):
        assert flag in worker
    assert "deploy/gunicorn.conf.py" in programs["web"]["command"]


def test_a_template_value_left_unfilled_is_refused():
    from deploy.render import render

    with pytest.raises(SystemExit, match="LOG_DIR"):
        render("error_log ${LOG_DIR}/x;", {"LOG_DIR": "${LOG_DIR}"})
