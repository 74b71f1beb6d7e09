/**
 * The two programs the boot script installs on every app server (boot/user-data.ts), as Python 3 sources
 * (Amazon Linux 2023 ships python3 and the AWS CLI). Kept here as text so the boot script can carry them
 * base64-encoded, and so the tests can run them (__tests__/boot.test.ts).
 *
 * - launch.py starts the application from /etc/webapp/settings.json and platform.json: the placeholder
 *   server, or the release's container image (pulled by digest) on the host's network with its plain
 *   environment, its secrets read at start by the instance role, and its logs to the environment's log group
 *   (awslogs driver). Secret values never appear on a command line or on disk: `docker run --env NAME` takes
 *   each value from launch.py's own environment.
 * - placeholder.py answers the health check path (200 "ok") and every other path with a small JSON body,
 *   so a first deploy turns healthy before any image exists.
 */

export const LAUNCH_PY = String.raw`#!/usr/bin/env python3
"""Starts this instance's application from its settings (see boot/launcher.ts in the platform's source)."""
import json
import os
import re
import subprocess
import sys

SETTINGS = os.environ.get("WEBAPP_SETTINGS", "/etc/webapp/settings.json")
PLATFORM = os.environ.get("WEBAPP_PLATFORM", "/etc/webapp/platform.json")
PLACEHOLDER = os.environ.get("WEBAPP_PLACEHOLDER", "/opt/webapp/placeholder.py")


def aws(*args):
    """Runs the AWS CLI and returns its text output (credentials: the instance role)."""
    done = subprocess.run(["aws", *args, "--output", "text"], capture_output=True, text=True)
    if done.returncode != 0:
        # The journal shows why; systemd starts launch.py again (Restart=always).
        sys.exit("webapp: aws " + " ".join(args[:2]) + " failed (exit " + str(done.returncode) + "): " + done.stderr.strip())
    return done.stdout.rstrip("\n")


def secret_values(settings, platform):
    """The secrets of the release and the database credentials, read now (rotated values on every start)."""
    region = settings["region"]
    values = {}
    for name, ref in sorted(settings.get("secrets", {}).items()):
        if "secret" in ref:
            values[name] = aws("secretsmanager", "get-secret-value", "--region", region, "--secret-id", ref["secret"], "--query", "SecretString")
        else:
            values[name] = aws("ssm", "get-parameter", "--region", region, "--name", ref["parameter"], "--with-decryption", "--query", "Parameter.Value")
    database = platform.get("databaseSecretArn")
    if database:
        credentials = json.loads(aws("secretsmanager", "get-secret-value", "--region", region, "--secret-id", database, "--query", "SecretString"))
        values["DB_USERNAME"] = credentials["username"]
        values["DB_PASSWORD"] = credentials["password"]
    return values


# An ECR registry: the instance role signs in to it (any other registry is pulled from without credentials).
ECR_REGISTRY = re.compile(r"^[0-9]{12}[.]dkr[.]ecr[.][a-z0-9-]+[.]amazonaws[.]com$")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    settings = load(SETTINGS)
    platform = load(PLATFORM)
    port = str(settings["appPort"])
    env = {"APP_PORT": port, "HEALTH_CHECK_PATH": settings["healthCheckPath"], "AWS_REGION": settings["region"]}
    env.update(settings.get("environment", {}))
    env.update(platform.get("environment", {}))
    if settings["mode"] == "placeholder":
        os.execve(sys.executable, [sys.executable, PLACEHOLDER], {**os.environ, **env})
    env.update(secret_values(settings, platform))
    release = settings["image"]
    repository = release.get("repository") or platform["imageRepository"]
    image = repository + "@" + release["digest"]
    registry = repository.split("/")[0]
    if ECR_REGISTRY.match(registry):
        password = aws("ecr", "get-login-password", "--region", settings["region"])
        subprocess.run(["docker", "login", "--username", "AWS", "--password-stdin", registry], input=password, check=True, text=True, stdout=subprocess.DEVNULL)
    subprocess.run(["docker", "pull", "--quiet", image], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["docker", "rm", "--force", "webapp"], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    args = [
        "docker", "run", "--rm", "--name", "webapp",
        # The host's network: the container is this instance's application, listens on APP_PORT itself and
        # gets the instance role through IMDSv2 (hop limit 1 keeps any container it starts off the metadata).
        "--network", "host",
        "--log-driver", "awslogs",
        "--log-opt", "awslogs-region=" + settings["region"],
        "--log-opt", "awslogs-group=" + settings["logGroup"],
        "--label", "release=" + release["tag"],
    ]
    for name in sorted(env):
        args += ["--env", name]
    args += [image, *settings.get("command", [])]
    os.execvpe("docker", args, {**os.environ, **env})


if __name__ == "__main__":
    main()
`;

export const PLACEHOLDER_PY = String.raw`#!/usr/bin/env python3
"""The placeholder application: 200 "ok" on the health check path, a small JSON body on every other path."""
import json
import os
import socket
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

    def log_message(self, format, *args):
        pass


ThreadingHTTPServer((os.environ.get("WEBAPP_BIND", "0.0.0.0"), PORT), Handler).serve_forever()
`;
