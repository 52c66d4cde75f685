"""nginx for the tests: Debian's binary with the deployment's own site file
(`deploy/nginx/dashboard.conf.template`, filled in as README «Deployment» says) on free ports, TLS by
a test certificate authority (trustme). `.ci/run` installs nginx-light."""

from __future__ import annotations

import os
import shutil
import socket
import string
import subprocess
import time
from pathlib import Path

from tests.browser.conftest import REPO, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = REPO / "deploy" / "nginx" / "dashboard.conf.template"


def installed() -> bool:
    return Path(NGINX).exists()


class Nginx:
    """nginx with the deployment's site file, filled in as README «Deployment» says, on free ports."""

    def __init__(self, folder: Path, app_ports: list[int], cert: Path, key: Path, port: int | None = None) -> None:
        self.folder, self.port = folder, port or free_port()
        values = {"DASHBOARD_HOST": "localhost", "HTTP_LISTEN": f"127.0.0.1:{free_port()}",
                  "HTTPS_LISTEN": f"127.0.0.1:{self.port}", "TLS_CERT": str(cert), "TLS_KEY": str(key),
                  "APP_SERVERS": " ".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
                                          for port in app_ports)}
        site = folder / "dashboard.conf"
        site.write_text(string.Template(SITE.read_text()).safe_substitute(values))
        temp = "\n".join(f"    {name}_temp_path {folder / name};" for name in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.conf = folder / "nginx.conf"
        self.conf.write_text(f"""{'user root;' if os.geteuid() == 0 else ''}
worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 512; }}
http {{
    access_log {folder / 'access.log'};
{temp}
    include {site};
}}
""")
        checked = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(self.conf)], capture_output=True,
                                 text=True)
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(self.conf), "-g", "daemon off;"],
                                        stderr=subprocess.PIPE)
        self.url = f"https://localhost:{self.port}"
        deadline = time.monotonic() + 60  # a bound, not a wait: until nginx accepts connections
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=2).close()
                break
            except OSError:
                assert self.process.poll() is None, self.process.stderr.read().decode(errors="replace")
                assert time.monotonic() < deadline, "nginx did not listen within 60 s"
                time.sleep(0.05)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


