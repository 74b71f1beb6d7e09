/**
 * The instances' boot script. It installs a small placeholder application as a systemd service so a
 * fresh deploy turns healthy behind the load balancer; replace the marked section with your real
 * artifact (e.g. download a release from S3 and start it) — keep the port and health path.
 *
 * Terraform reads `${` and `%{` in strings as template syntax: this script uses `$VAR`, never `${VAR}`.
 */
export interface UserDataProps {
  /** Port the application listens on. */
  readonly appPort: number;
  /** Path that must answer 200 when the app is healthy. */
  readonly healthCheckPath: string;
  /** Written to /etc/webapp/env for the application (values may be Terraform tokens). */
  readonly environment: Readonly<Record<string, string>>;
}

export function renderUserData(props: UserDataProps): string {
  const env = Object.entries(props.environment)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
  const script = `#!/bin/bash
set -euo pipefail

# --- Application settings (read by the service through EnvironmentFile) ---
install -d -m 0755 /etc/webapp
cat > /etc/webapp/env <<'ENV'
APP_PORT=${props.appPort}
HEALTH_CHECK_PATH=${props.healthCheckPath}
${env}
ENV
chmod 0644 /etc/webapp/env

# --- Application: REPLACE THIS SECTION with your artifact; keep the port and the health path ---
useradd --system --no-create-home --shell /sbin/nologin webapp || true
install -d -m 0755 /opt/webapp
cat > /opt/webapp/server.py <<'PY'
import json, os, socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("APP_PORT", "8080"))
HEALTH = os.environ.get("HEALTH_CHECK_PATH", "/health")

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == HEALTH:
            body, kind = b"ok", "text/plain"
        else:
            body = json.dumps({"app": "placeholder", "host": socket.gethostname()}).encode()
            kind = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass

ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
PY

cat > /etc/systemd/system/webapp.service <<'UNIT'
[Unit]
Description=Web application
After=network-online.target
Wants=network-online.target

[Service]
User=webapp
EnvironmentFile=/etc/webapp/env
ExecStart=/usr/bin/python3 /opt/webapp/server.py
Restart=always
RestartSec=2
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true

[Install]
WantedBy=multi-user.target
UNIT
# --- end of the application section ---

systemctl daemon-reload
systemctl enable --now webapp.service
`;
  return script;
}
