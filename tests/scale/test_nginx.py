"""deploy/nginx.conf, run for real on 127.0.0.1:8780 in front of the two Rasa replicas and, for replica B,
in front of both action servers.

Why: the production set-up's promises (only the webhook is public, a 64 KB body limit, a per-IP rate
limit, security headers, another action server when one is down, a kind reply when none answers) live in
this one file, so the test runs that file, changing only addresses: the compose service names become the
tier's ports, the web upstream a socket nothing listens on, and the internal action listener (:5055 in
compose) shares 8780 as the virtual host "localhost", which is how replica B is pointed at it.
"""
from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests
import yaml

from tests.scale.tier import ACTION_PORTS, LOG_DIR, NGINX_PORT, RASA_PORTS, ROOT, Tier, new_sender, texts

pytestmark = pytest.mark.timeout(900)
GUIDANCE_QUESTION = "how long does an EHC needs assessment take?"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
BASE = f"http://127.0.0.1:{NGINX_PORT}"


def _helpline_phone() -> str:
    data = yaml.safe_load((ROOT / "data" / "local_offer" / "helpline.yml").read_text(encoding="utf-8"))
    return data["quadrant_phones"]["mid"]


def render_config(run_dir: Path) -> str:
    """deploy/nginx.conf with this machine's addresses instead of the compose service names."""
    config = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    replacements = {
        "${HELPLINE_PHONE}": _helpline_phone(),
        "pid /var/run/nginx.pid;": f"pid {run_dir}/nginx.pid;",
        "server rasa-1:5005": f"server 127.0.0.1:{RASA_PORTS[0]}",
        "server rasa-2:5005": f"server 127.0.0.1:{RASA_PORTS[1]}",
        "server actions-1:5055": f"server 127.0.0.1:{ACTION_PORTS[0]}",
        "server actions-2:5055": f"server 127.0.0.1:{ACTION_PORTS[1]}",
        "server web:8000": f"server unix:{run_dir}/no-web.sock",
        "listen 80 default_server;": f"listen 127.0.0.1:{NGINX_PORT} default_server;",
        "listen 5055;\n        server_name _;": f"listen 127.0.0.1:{NGINX_PORT};\n        server_name localhost;",
        "http {": f"http {{\n    client_body_temp_path {run_dir}/body;\n    proxy_temp_path {run_dir}/proxy;",
    }
    for old, new in replacements.items():
        assert old in config, f"deploy/nginx.conf no longer contains {old!r}: update this test"
        config = config.replace(old, new)
    return config


@pytest.fixture(scope="module")
def nginx(tier: Tier, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    run_dir = tmp_path_factory.mktemp("nginx")
    conf = run_dir / "nginx.conf"
    conf.write_text(render_config(run_dir), encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-q", "-p", str(run_dir), "-e", str(run_dir / "error.log"),
                              "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = (LOG_DIR / "nginx.log").open("ab")
    process = subprocess.Popen([NGINX, "-p", str(run_dir), "-e", str(run_dir / "error.log"), "-c", str(conf),
                                "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        for _ in range(100):
            try:
                if requests.get(f"{BASE}/nginx-health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            pytest.fail("nginx did not start on 8780")
        yield run_dir
    finally:
        process.send_signal(signal.SIGQUIT)  # graceful stop of this nginx (its own master pid)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def rasa_b_through_nginx(tier: Tier, nginx: Path) -> Iterator[None]:
    """Replica B calls its actions through nginx's internal listener, as every replica does in compose."""
    service = tier.services["rasa_b"]
    direct = service.env["SCALE_ACTION_ENDPOINT_URL"]
    service.env["SCALE_ACTION_ENDPOINT_URL"] = f"http://localhost:{NGINX_PORT}/webhook"
    tier.restart("rasa_b")
    try:
        yield
    finally:
        service.env["SCALE_ACTION_ENDPOINT_URL"] = direct
        tier.restart("rasa_b")


def test_a_conversation_through_nginx_stays_coherent(nginx: Path) -> None:
    sender = new_sender("nginx")
    webhook = f"{BASE}/webhooks/rest/webhook"
    first = requests.post(webhook, json={"sender": sender, "message": "is there speech therapy in Colchester"},
                          timeout=120)
    assert first.status_code == 200
    assert "How old is your child" in texts(first.json())
    for header in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Strict-Transport-Security"):
        assert header in first.headers, header
    second = requests.post(webhook, json={"sender": sender, "message": "7"}, timeout=120)
    assert "Here are the services that best match" in texts(second.json())


@pytest.mark.parametrize("path", [
    "/conversations/someone/tracker?token=x", "/status", "/version", "/model", "/domain",
    "/webhooks/rest/", "/webhooks/rest/webhook/../../conversations/x/tracker", "/socket.io/",
])
def test_rasa_http_api_is_not_public(nginx: Path, path: str) -> None:
    response = requests.get(BASE + path, timeout=10)
    assert response.status_code in (403, 404), (path, response.status_code)
    assert "events" not in response.text and "model_file" not in response.text


def test_the_webhook_takes_only_post(nginx: Path) -> None:
    assert requests.get(f"{BASE}/webhooks/rest/webhook", timeout=10).status_code == 403


def test_a_body_over_64k_gets_a_kind_413(nginx: Path) -> None:
    response = requests.post(f"{BASE}/webhooks/rest/webhook", timeout=30,
                             json={"sender": "big", "message": "a" * 100_000})
    assert response.status_code == 413
    assert _helpline_phone() in texts(response.json())


def test_one_action_server_down_is_covered_by_the_other(tier: Tier, rasa_b_through_nginx: None) -> None:
    assert "Did this help?" in texts(tier.say(1, new_sender("viaactions"), GUIDANCE_QUESTION))
    tier.services["actions_a"].kill(signal.SIGKILL)
    try:
        for _ in range(3):  # round robin would have picked the dead one at least once
            reply = texts(tier.say(1, new_sender("oneactions"), GUIDANCE_QUESTION))
            assert "Did this help?" in reply
            assert "EHC" in reply, reply  # the guidance answer itself, not only the question after it
    finally:
        tier.restart("actions_a")


def test_no_action_server_answering_gives_the_family_a_kind_reply(tier: Tier, rasa_b_through_nginx: None) -> None:
    """nginx answers Rasa's action call with utter_something_went_wrong: the Rasa-side fix for a family
    who would otherwise get only "Did this help?" (or nothing) while the action servers are down."""
    for name in ("actions_a", "actions_b"):
        tier.services[name].kill(signal.SIGKILL)
    try:
        reply = texts(tier.say(1, new_sender("noactionsnginx"), GUIDANCE_QUESTION))
        danger = texts(tier.say(1, new_sender("noactionsnginx"), "my child is being hurt at home"))
    finally:
        for name in ("actions_a", "actions_b"):
            tier.restart(name)
    assert "something went wrong on our side" in reply and _helpline_phone() in reply, reply
    # The fallback cannot tell which action failed, so it always carries the emergency routes too.
    assert _helpline_phone() in danger and "call 999" in danger, danger


def test_a_flood_from_one_address_is_rate_limited_kindly(nginx: Path) -> None:
    statuses, limited = [], None
    with requests.Session() as session:
        for _ in range(120):
            response = session.get(f"{BASE}/webhooks/rest/webhook", timeout=10)
            statuses.append(response.status_code)
            if response.status_code == 429:
                limited = response
                break
    assert limited is not None, f"no 429 after {len(statuses)} requests"
    assert _helpline_phone() in texts(limited.json())
