"""Build the secrets evaluation set for ``benchmarks/pii_detection.py`` (mlwarden vs detect-secrets).

    benchmarks/.venv-pii-peers/bin/python benchmarks/corpus/build_secrets_corpus.py [--out DIR] [--seed N]

Writes ``secrets_eval.jsonl`` (default under ``benchmarks/work/pii-corpus/``), one record a line::

    {"id", "text", "filename", "source": "<context>:<subtype>", "label": "secret"|"benign",
     "entities": [{"start", "end", "kind": "SECRET", "subtype"}]}

Each positive record holds exactly one secret in a realistic carrier (``.env`` files, YAML/JSON config,
Python/JS code, shell history, logs, connection strings); each negative record holds high-entropy or
secret-looking text that is not a credential (commit hashes, lock-file integrity hashes, UUIDs, image
digests, SSH *public* keys, placeholders and environment-variable references). Token shapes follow the
providers' published formats (AWS IAM key ids, GitHub token prefixes, GitLab ``glpat-``, Slack ``xox?-``,
Stripe ``sk_live_``, Google ``AIza``, OpenAI ``sk-proj-``, Anthropic ``sk-ant-api03-``, Hugging Face
``hf_``, npm ``npm_``, PyPI macaroons, SendGrid ``SG.``, Telegram bot tokens, Mailchimp ``-usN``, Azure
storage ``AccountKey=``, JWT per RFC 7519, PEM private keys per RFC 7468). Every token is random and
assembled at run time from pieces, so no literal credential is committed (push protection and our own
scanner stay quiet). Seeded: the same ``--seed`` gives the same file.
"""

# ruff: noqa: E501  (carrier tables keep one entry per line)
from __future__ import annotations

import argparse
import base64
import json
import random
import string
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

SEED = 20240612
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "work" / "pii-corpus"
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
HEX = "0123456789abcdef"
SEP = "-" * 5  # PEM armour, assembled so the source holds no literal header


def rnd(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# ---- token makers: each returns the secret value only ----


def aws_key_id(rng: random.Random) -> str:
    return rng.choice(["AK" + "IA", "AS" + "IA"]) + rnd(rng, string.ascii_uppercase + "234567", 16)


def aws_secret(rng: random.Random) -> str:
    return rnd(rng, B64, 40)


def github_token(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return "github" + "_pat_" + rnd(rng, ALNUM, 22) + "_" + rnd(rng, ALNUM, 59)
    return "gh" + rng.choice("pousr") + "_" + rnd(rng, ALNUM, 36)


def gitlab_token(rng: random.Random) -> str:
    return "gl" + "pat-" + rnd(rng, ALNUM + "-_", 20)


def slack_token(rng: random.Random) -> str:
    return (
        "xo"
        + "x"
        + rng.choice("bpa")
        + "-"
        + rnd(rng, string.digits, 12)
        + "-"
        + rnd(rng, string.digits, 13)
        + ("-" + rnd(rng, ALNUM, 24))
    )


def slack_webhook(rng: random.Random) -> str:
    return (
        "https://hooks."
        + "slack.com/services/T"
        + rnd(rng, string.ascii_uppercase + string.digits, 8)
        + ("/B" + rnd(rng, string.ascii_uppercase + string.digits, 10) + "/" + rnd(rng, ALNUM, 24))
    )


def stripe_key(rng: random.Random) -> str:
    return rng.choice(["sk", "rk"]) + "_live_" + rnd(rng, ALNUM, rng.choice([24, 34, 99]))


def google_api_key(rng: random.Random) -> str:
    return "AI" + "za" + rnd(rng, ALNUM + "-_", 35)


def openai_key(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "sk-" + "proj-" + rnd(rng, B64URL, 74) + "T3Blbk" + "FJ" + rnd(rng, B64URL, 74)
    return "sk-" + rnd(rng, ALNUM, 20) + "T3Blbk" + "FJ" + rnd(rng, ALNUM, 20)


def anthropic_key(rng: random.Random) -> str:
    return "sk-" + "ant-api03-" + rnd(rng, B64URL, 93) + "AA"


def hf_token(rng: random.Random) -> str:
    return "h" + "f_" + rnd(rng, string.ascii_letters, 34)


def npm_token(rng: random.Random) -> str:
    return "np" + "m_" + rnd(rng, ALNUM, 36)


def pypi_token(rng: random.Random) -> str:
    return "py" + "pi-" + "AgEIcHlwaS5vcmc" + rnd(rng, B64URL, 70)


def sendgrid_key(rng: random.Random) -> str:
    return "S" + "G." + rnd(rng, B64URL, 22) + "." + rnd(rng, B64URL, 43)


def telegram_token(rng: random.Random) -> str:
    return str(rng.randint(10**8, 10**10 - 1)) + ":AA" + rnd(rng, B64URL, 33)


def mailchimp_key(rng: random.Random) -> str:
    return rnd(rng, HEX, 32) + "-us" + str(rng.randint(1, 21))


def twilio_key(rng: random.Random) -> str:
    return "S" + "K" + rnd(rng, HEX, 32)


def azure_storage_key(rng: random.Random) -> str:
    return base64.b64encode(rng.randbytes(64)).decode()


def jwt(rng: random.Random) -> str:
    header = b64url(json.dumps({"alg": rng.choice(["HS256", "RS256"]), "typ": "JWT"}).encode())
    claims = {"sub": str(rng.randint(10**5, 10**9)), "iat": rng.randint(1_600_000_000, 1_750_000_000), "role": "user"}
    return header + "." + b64url(json.dumps(claims).encode()) + "." + b64url(rng.randbytes(32))


def private_key(rng: random.Random) -> str:
    label = rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    body = base64.b64encode(rng.randbytes(rng.choice([120, 300, 600]))).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([f"{SEP}BEGIN {label}{SEP}", *lines, f"{SEP}END {label}{SEP}"])


def password(rng: random.Random) -> str:
    words = ["Sunset", "Volga", "Tiger", "Mercury", "Orbit", "Kedr", "Falcon", "Neva"]
    return rng.choice(words) + rnd(rng, string.digits, rng.randint(2, 4)) + rng.choice("!#$%&*@") + rnd(rng, ALNUM, 4)


def generic_api_key(rng: random.Random) -> str:
    return rnd(rng, ALNUM, rng.choice([32, 40, 48]))


def yandex_api_key(rng: random.Random) -> str:
    return "AQ" + "VN" + rnd(rng, B64URL, 36)


def db_password(rng: random.Random) -> str:
    return rnd(rng, ALNUM, rng.randint(14, 24))


# ---- carriers: (subtype, maker, [templates with {v}], filename) ----

Carrier = tuple[str, Callable[[random.Random], str], list[tuple[str, str]]]
CARRIERS: list[Carrier] = [
    ("AWS_ACCESS_KEY", aws_key_id, [(".env", "AWS_ACCESS_KEY_ID={v}\nAWS_DEFAULT_REGION=eu-central-1"),
                                     ("deploy.py", 'session = boto3.Session(aws_access_key_id="{v}")'),
                                     ("credentials", "[default]\naws_access_key_id = {v}\nregion = us-east-1")]),
    ("AWS_SECRET_KEY", aws_secret, [("credentials", "[prod]\naws_secret_access_key = {v}"),
                                     (".env", "AWS_SECRET_ACCESS_KEY={v}")]),
    ("GITHUB_TOKEN", github_token, [(".env", "GITHUB_TOKEN={v}"),
                                     ("ci.yml", "env:\n  GH_TOKEN: {v}\n  NODE_ENV: test"),
                                     ("history.txt", "git clone https://{v}@github.com/acme/infra.git")]),
    ("GITLAB_TOKEN", gitlab_token, [("config.toml", 'gitlab_token = "{v}"'), (".env", "CI_PUSH_TOKEN={v}")]),
    ("SLACK_TOKEN", slack_token, [("bot.py", 'client = WebClient(token="{v}")'), (".env", "SLACK_BOT_TOKEN={v}")]),
    ("SLACK_WEBHOOK", slack_webhook, [("notify.sh", "curl -X POST -d @msg.json {v}"),
                                       ("settings.yaml", "alerts:\n  webhook: {v}")]),
    ("STRIPE_KEY", stripe_key, [("billing.js", "const stripe = require('stripe')('{v}');"),
                                 (".env", "STRIPE_SECRET_KEY={v}")]),
    ("GOOGLE_API_KEY", google_api_key, [("maps.html", '<script src="https://maps.googleapis.com/maps/api/js?key={v}"></script>'),
                                         ("config.json", '{{"google_api_key": "{v}"}}')]),
    ("OPENAI_KEY", openai_key, [("notebook.py", 'openai.api_key = "{v}"'), (".env", "OPENAI_API_KEY={v}")]),
    ("ANTHROPIC_KEY", anthropic_key, [("agent.py", 'client = anthropic.Anthropic(api_key="{v}")')]),
    ("HUGGINGFACE_TOKEN", hf_token, [("train.py", 'login(token="{v}")'), (".env", "HF_TOKEN={v}")]),
    ("NPM_TOKEN", npm_token, [(".npmrc", "//registry.npmjs.org/:_authToken={v}")]),
    ("PYPI_TOKEN", pypi_token, [(".pypirc", "[pypi]\nusername = __token__\npassword = {v}")]),
    ("SENDGRID_KEY", sendgrid_key, [("mailer.py", 'sg = SendGridAPIClient("{v}")')]),
    ("TELEGRAM_BOT_TOKEN", telegram_token, [("bot.py", 'bot = telebot.TeleBot("{v}")'),
                                              (".env", "TELEGRAM_TOKEN={v}")]),
    ("MAILCHIMP_KEY", mailchimp_key, [("settings.py", 'MAILCHIMP_API_KEY = "{v}"')]),
    ("TWILIO_KEY", twilio_key, [("sms.py", 'TWILIO_API_KEY = "{v}"')]),
    ("AZURE_STORAGE_KEY", azure_storage_key, [("appsettings.json", '{{"Storage": "DefaultEndpointsProtocol=https;AccountName=acmedata;AccountKey={v};EndpointSuffix=core.windows.net"}}')]),
    ("JWT", jwt, [("app.log", "2024-05-02 10:11:12 DEBUG auth header: Bearer {v}"),
                  ("request.http", "GET /api/me\nAuthorization: Bearer {v}")]),
    ("PRIVATE_KEY", private_key, [("id_rsa", "{v}\n"), ("deploy.yaml", "ssh_key: |\n{v}")]),
    ("PASSWORD", password, [("settings.py", 'DATABASES = {{"default": {{"USER": "app", "PASSWORD": "{v}"}}}}'),
                            (".env", "DB_PASSWORD={v}"), ("config.yaml", "smtp:\n  user: noreply\n  password: {v}")]),
    ("URL_CREDENTIALS", db_password, [(".env", "DATABASE_URL=postgres://app:{v}@db.internal:5432/shop"),
                                       ("settings.py", 'BROKER = "amqp://worker:{v}@rabbit:5672//"')]),
    ("GENERIC_API_KEY", generic_api_key, [("client.py", 'API_KEY = "{v}"'), ("config.yaml", "service:\n  api_secret: {v}")]),
    ("YANDEX_CLOUD_KEY", yandex_api_key, [(".env", "YC_API_KEY={v}")]),
]  # fmt: skip

# ---- benign carriers: (context, maker of the whole text, filename) ----


def _benign_makers() -> list[tuple[str, str, Callable[[random.Random], str]]]:
    def sha(n: int) -> Callable[[random.Random], str]:
        return lambda rng: rnd(rng, HEX, n)

    return [
        ("git_log", "history.txt", lambda r: f"commit {sha(40)(r)}\nAuthor: CI Bot\n\n    bump deps"),
        ("requirements_hash", "requirements.txt", lambda r: f"numpy==1.26.4 \\\n    --hash=sha256:{sha(64)(r)}"),
        ("npm_integrity", "package-lock.json",
         lambda r: f'"integrity": "sha512-{base64.b64encode(r.randbytes(64)).decode()}"'),
        ("uuid", "config.yaml", lambda r: f"tenant_id: {uuid.UUID(int=r.getrandbits(128), version=4)}"),
        ("image_digest", "deploy.yaml", lambda r: f"image: ghcr.io/acme/api@sha256:{sha(64)(r)}"),
        ("ssh_public_key", "authorized_keys",
         lambda r: "ssh-" + "ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rnd(r, B64, 43) + " deploy@ci"),
        ("env_reference", ".env", lambda r: "DB_PASSWORD=${DB_PASSWORD}\nAPI_KEY=${" + rnd(r, "ABCDEFGH", 4) + "_KEY}"),
        ("code_reference", "settings.py", lambda r: r.choice(['API_KEY = os.environ["API_KEY"]', 'SECRET = os.getenv("APP_SECRET")',
                                                                'token = settings.GITHUB_TOKEN', 'password = vault.read("db/creds")["password"]'])),
        ("placeholder", "config.yaml", lambda r: r.choice(["api_key: <your-api-key-here>", "password: ********", "token: YOUR_TOKEN_HERE",
                                                           "aws_secret_access_key = REPLACE_ME", "OPENAI_API_KEY=sk-..."])),
        ("md5_checksum", "checksums.md5", lambda r: f"{sha(32)(r)}  model-{r.randint(1, 99)}.bin"),
        ("etag", "app.log", lambda r: f'200 GET /static/app.js etag="{sha(32)(r)}"'),
        ("base64_image", "index.html",
         lambda r: '<img src="data:image/png;base64,iVBORw0KGgo' + rnd(r, B64, 80) + '==">'),
        ("session_id_log", "app.log", lambda r: f"request_id={uuid.UUID(int=r.getrandbits(128), version=4)} status=200"),
        ("aws_account_arn", "policy.json",
         lambda r: '{"Principal": {"AWS": "arn:aws:iam::' + rnd(r, string.digits, 12) + ':role/reader"}}'),
        ("hex_color_table", "theme.css", lambda r: "; ".join(f"--c{i}: #{sha(6)(r)}" for i in range(6))),
        ("css_hash_class", "index.html", lambda r: f'<div class="css-{rnd(r, string.ascii_lowercase + string.digits, 7)} '
                                                    f'jsx-{rnd(r, string.digits, 10)}">'),
        ("password_prompt", "README.md", lambda r: r.choice(["Enter your password when prompted; the token expires in 24 h.",
                                                             "Set GITHUB_TOKEN in the repository secrets before running CI.",
                                                             "The API key is read from the environment, never from this file."])),
        ("public_cert_fingerprint", "nginx.conf", lambda r: f"ssl_trusted_certificate_sha1 {sha(40)(r)};"),
        ("public_jwk_kid", "jwks.json", lambda r: '{"kid": "' + sha(16)(r) + '", "kty": "RSA", "use": "sig"}'),
    ]  # fmt: skip


def build(seed: int, per_template: int, per_benign: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    records: list[dict[str, object]] = []
    for subtype, maker, templates in CARRIERS:
        for filename, template in templates:
            for _ in range(per_template):
                value = maker(rng)
                head, tail = template.split("{v}")
                text = head.replace("{{", "{").replace("}}", "}") + value + tail.replace("{{", "{").replace("}}", "}")
                start = len(head.replace("{{", "{").replace("}}", "}"))
                entity = {"start": start, "end": start + len(value), "kind": "SECRET", "subtype": subtype}
                records.append({"text": text, "filename": filename, "source": f"{filename}:{subtype}",
                                "label": "secret", "entities": [entity]})  # fmt: skip
    for context, filename, make in _benign_makers():
        for _ in range(per_benign):
            records.append({"text": make(rng), "filename": filename, "source": f"{filename}:{context}",
                            "label": "benign", "entities": []})  # fmt: skip
    rng.shuffle(records)
    for i, rec in enumerate(records):
        rec["id"] = f"sec-{i:05d}"
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    records = build(args.seed, per_template=8, per_benign=16)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "secrets_eval.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    labels = Counter(str(r["label"]) for r in records)
    subtypes = Counter(str(e["subtype"]) for r in records for e in r["entities"])  # type: ignore[attr-defined]
    stats = {
        "seed": args.seed,
        "records": len(records),
        "labels": dict(labels),
        "subtypes": dict(sorted(subtypes.items())),
    }
    (args.out / "secrets_eval.summary.json").write_text(json.dumps(stats, indent=2))
    print(json.dumps(stats, indent=2))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
