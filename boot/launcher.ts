/**
 * The two programs the boot script installs on every app server (boot/user-data.ts), as Python 3 sources
 * (Amazon Linux 2023 ships python3 and the AWS CLI). Kept here as text so the boot script can carry them
 * base64-encoded, and so the tests can run them (__tests__/boot.test.ts).
 *
 * - launch.py starts the application from /etc/webapp/settings.json and platform.json: the placeholder
 *   server, or the release's container image (pulled by digest) on the host's network with its plain
 *   environment, its secrets read at start by the instance role, and its logs to the environment's log group
 *   (awslogs driver). Secret values never appear on a command line: `docker run --env NAME` takes each value
 *   from launch.py's own environment.
 *   The database password is not one of them: RDS rotates it (database.passwordRotationDays), so a value read
 *   at start goes stale. launch.py writes the database secret's {"username", "password"} to
 *   /run/webapp/db/credentials.json (tmpfs, mounted read-only into the container at the same path, named by
 *   DB_CREDENTIALS_FILE), stays beside the container, and every `databaseCredentials.refreshSeconds` asks
 *   Secrets Manager which version of the secret is current (DescribeSecret: no decryption); when it changed,
 *   it reads the new value and replaces the file atomically (a rename; the directory is mounted, not the
 *   file, so the container sees the new file). The application reads the file when it opens a connection,
 *   or again when the database refuses its password. A failed check leaves the file and the application as
 *   they are and is tried again at the next one.
 * - placeholder.py answers the health check path (200 "ok") and every other path with a small JSON body,
 *   so a first deploy turns healthy before any image exists.
 */

/** Where the application finds the database credentials, on the instance and in the container. */
export const DB_CREDENTIALS_FILE = '/run/webapp/db/credentials.json';
/** Seconds between two checks of the database secret's current version. */
export const DB_CREDENTIALS_REFRESH_SECONDS = 60;

export const LAUNCH_PY = String.raw`#!/usr/bin/env python3
"""Starts this instance's application from its settings (see boot/launcher.ts in the platform's source)."""
import json
import os
import re
import signal
import subprocess
import sys

SETTINGS = os.environ.get("WEBAPP_SETTINGS", "/etc/webapp/settings.json")
PLATFORM = os.environ.get("WEBAPP_PLATFORM", "/etc/webapp/platform.json")
PLACEHOLDER = os.environ.get("WEBAPP_PLACEHOLDER", "/opt/webapp/placeholder.py")
CREDENTIALS = os.environ.get("WEBAPP_CREDENTIALS_DIR", "/run/webapp/db")


def aws(*args, output="text", fatal=True):
    # Credentials: the instance role. On failure: exit (systemd starts launch.py again), or None.
    done = subprocess.run(["aws", *args, "--output", output], capture_output=True, text=True)
    if done.returncode != 0:
        why = "webapp: aws " + " ".join(args[:2]) + " failed (exit " + str(done.returncode) + "): " + done.stderr.strip()
        if fatal:
            sys.exit(why)
        print(why, file=sys.stderr, flush=True)
        return None
    return json.loads(done.stdout) if output == "json" else done.stdout.rstrip("\n")


def secret_values(settings):
    region = settings["region"]
    values = {}
    for name, ref in sorted(settings.get("secrets", {}).items()):
        if "secret" in ref:
            values[name] = aws("secretsmanager", "get-secret-value", "--region", region, "--secret-id", ref["secret"], "--query", "SecretString")
        else:
            values[name] = aws("ssm", "get-parameter", "--region", region, "--name", ref["parameter"], "--with-decryption", "--query", "Parameter.Value")
    return values


def read_database(region, arn, fatal):
    answer = aws("secretsmanager", "get-secret-value", "--region", region, "--secret-id", arn, output="json", fatal=fatal)
    if answer is None:
        return None
    value = json.loads(answer["SecretString"])
    os.makedirs(CREDENTIALS, exist_ok=True)
    os.chmod(CREDENTIALS, 0o755)
    target = os.path.join(CREDENTIALS, "credentials.json")
    if os.path.exists(target + ".new"):
        os.unlink(target + ".new")
    # Readable by the container's user, whoever it is; on the host only by what may read the secret anyway.
    with os.fdopen(os.open(target + ".new", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444), "w") as f:
        json.dump({"username": value["username"], "password": value["password"]}, f)
    os.replace(target + ".new", target)
    return answer.get("VersionId"), value["username"]


def refresh_database(region, arn, version):
    # DescribeSecret decrypts nothing; the value is read again only when the current version changed.
    stages = aws("secretsmanager", "describe-secret", "--region", region, "--secret-id", arn, "--query", "VersionIdsToStages", output="json", fatal=False)
    current = next((v for v, labels in (stages or {}).items() if "AWSCURRENT" in labels), version)
    if current == version or read_database(region, arn, False) is None:
        return version
    print("webapp: the database secret changed (version " + current + "): credentials.json holds it", flush=True)
    return current


# An ECR registry: the instance role signs in to it (any other registry is pulled from without credentials).
ECR_REGISTRY = re.compile(r"^[0-9]{12}[.]dkr[.]ecr[.][a-z0-9-]+[.]amazonaws[.]com$")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    settings = load(SETTINGS)
    platform = load(PLATFORM)
    region = settings["region"]
    env = {"APP_PORT": str(settings["appPort"]), "HEALTH_CHECK_PATH": settings["healthCheckPath"], "AWS_REGION": region}
    env.update(settings.get("environment", {}))
    env.update(platform.get("environment", {}))
    if settings["mode"] == "placeholder":
        os.execve(sys.executable, [sys.executable, PLACEHOLDER], {**os.environ, **env})
    env.update(secret_values(settings))
    arn = platform.get("databaseSecretArn")
    mounts = []
    if arn:
        version, env["DB_USERNAME"] = read_database(region, arn, True)
        env["DB_CREDENTIALS_FILE"] = settings["databaseCredentials"]["file"]
        # The directory, not the file: the container sees each new file (a rename).
        mounts = ["--volume", CREDENTIALS + ":" + os.path.dirname(env["DB_CREDENTIALS_FILE"]) + ":ro"]
    release = settings["image"]
    repository = release.get("repository") or platform["imageRepository"]
    image = repository + "@" + release["digest"]
    registry = repository.split("/")[0]
    if ECR_REGISTRY.match(registry):
        password = aws("ecr", "get-login-password", "--region", region)
        subprocess.run(["docker", "login", "--username", "AWS", "--password-stdin", registry], input=password, check=True, text=True, stdout=subprocess.DEVNULL)
    subprocess.run(["docker", "pull", "--quiet", image], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["docker", "rm", "--force", "webapp"], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    args = [
        "docker", "run", "--rm", "--name", "webapp",
        # The host's network: the container is this instance's application, listens on APP_PORT itself and
        # gets the instance role through IMDSv2 (hop limit 1 keeps any container it starts off the metadata).
        "--network", "host",
        "--log-driver", "awslogs",
        "--log-opt", "awslogs-region=" + region,
        "--log-opt", "awslogs-group=" + settings["logGroup"],
        "--label", "release=" + release["tag"],
        *mounts,
    ]
    for name in sorted(env):
        args += ["--env", name]
    args += [image, *settings.get("command", [])]
    # launch.py stays beside the container, keeps the credentials current, and ends with it.
    container = subprocess.Popen(args, env={**os.environ, **env})
    signal.signal(signal.SIGTERM, lambda *_: container.send_signal(signal.SIGTERM))
    while True:
        try:
            sys.exit(container.wait(timeout=float(settings["databaseCredentials"]["refreshSeconds"]) if arn else None))
        except subprocess.TimeoutExpired:
            try:
                version = refresh_database(region, arn, version)
            except Exception as error:  # a malformed answer must not stop the application
                print("webapp: checking the database secret failed: " + repr(error), file=sys.stderr, flush=True)


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
