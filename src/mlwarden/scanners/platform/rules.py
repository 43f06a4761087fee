"""Rules of the platform scanner (Dockerfiles, Kubernetes, compose, CI): a data table, one Rule per check.

Risks: SERVE-03 breakout, SERVE-07/09 resources, PLAT-05 privileges and credentials, PLAT-06 unpinned or
unreviewed build inputs, PLAT-02 images nobody can identify or patch, PLAT-01 no security gate."""

from __future__ import annotations

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

__all__ = ["CI_RULES", "COMPOSE_RULES", "DOCKER_RULES", "K8S_RULES", "PLATFORM_RULES"]

_S = Severity
_ROTATE = (
    "Revoke and rotate the credential, then inject it at run time: a build secret (RUN --mount=type=secret), "
    "a Kubernetes Secret referenced with secretKeyRef, or the CI system's secret store."
)


def _rule(  # noqa: PLR0913, PLR0917 - a table row: positional like the columns of a table
    rule_id: str,
    title: str,
    severity: Severity,
    risks: tuple[str, ...],
    help_text: str,
    fix: str,
    cwe: str | None = None,
    stage: Stage = Stage.PLATFORM,
) -> Rule:
    return Rule(
        id=rule_id,
        title=title,
        severity=severity,
        risk_ids=risks,
        stage=stage,
        help=help_text,
        remediation=fix,
        cwe=cwe,
    )


# --- Dockerfile --------------------------------------------------------------------------------------------------
DOCKER_ROOT = _rule(
    "MW-DOCKER-001", "Container image runs as root", _S.MEDIUM, ("SERVE-03", "PLAT-05"),
    "The final stage sets no USER, or sets root/0. A model server running as root turns any code execution "
    "(a malicious pickle, an injected tool call) into root inside the container and eases a breakout to the host.",
    "Create an unprivileged user and end the final stage with `USER <name>` (or a numeric UID above 10000).",
    "CWE-250",
    Stage.SERVING,
)  # fmt: skip
DOCKER_LATEST = _rule(
    "MW-DOCKER-002", "Base image is `latest` or untagged", _S.MEDIUM, ("PLAT-02", "PLAT-06"),
    "FROM names a mutable tag (latest, or none, which means latest): every build may get a different, "
    "unreviewed base with different vulnerabilities, and nobody can say which image runs in production.",
    "Pin the base image to a release tag and, better, to its digest: `FROM python:3.11-slim@sha256:...`.",
    "CWE-1357",
)  # fmt: skip
DOCKER_TAG_ONLY = _rule(
    "MW-DOCKER-003", "Base image pinned by tag, not by digest", _S.LOW, ("PLAT-02", "PLAT-06"),
    "A tag can be moved by whoever controls the registry repository; only a digest names fixed content.",
    "Append the digest: `FROM image:tag@sha256:<digest>`, and let a bot (Renovate, Dependabot) update it.",
    "CWE-1357",
)  # fmt: skip
DOCKER_ADD_URL = _rule(
    "MW-DOCKER-004", "ADD downloads a remote file", _S.MEDIUM, ("PLAT-06", "PLAT-02"),
    "ADD <url> fetches content at build time without any integrity check (unless --checksum is given); a "
    "compromised or hijacked host puts its file in the image.",
    "Download with a pinned checksum (`ADD --checksum=sha256:... <url>`, or curl then `sha256sum -c`), or COPY "
    "a vendored file.",
    "CWE-494",
)  # fmt: skip
DOCKER_PIPE_SHELL = _rule(
    "MW-DOCKER-005", "Remote script piped into a shell during the build", _S.HIGH, ("PLAT-06", "PLAT-02"),
    "`curl ... | sh` runs whatever the server returns, as root, inside the build, with no review or pinning.",
    "Download the script to a file, verify its checksum or signature, then run it; or install a pinned package.",
    "CWE-494",
)  # fmt: skip
DOCKER_SECRET = _rule(
    "MW-DOCKER-006", "Secret written into the image (ENV, ARG, RUN, heredoc)", _S.HIGH, ("PLAT-05",),
    "ENV values are stored in the image config, ARG values and RUN commands in its build history, heredoc files "
    "in a layer: anyone who can pull the image (docker history / inspect) reads the credential.",
    _ROTATE,
    "CWE-798",
)  # fmt: skip
DOCKER_NO_HEALTHCHECK = _rule(
    "MW-DOCKER-007", "No HEALTHCHECK in the final stage", _S.LOW, ("SERVE-07",),
    "Without a health check a hung or overloaded model server keeps receiving traffic and is never restarted "
    "by Docker or Compose (Kubernetes uses its own probes).",
    "Add `HEALTHCHECK CMD curl -f http://localhost:8080/health || exit 1` (or the server's own probe).",
)  # fmt: skip
DOCKER_APT_RECOMMENDS = _rule(
    "MW-DOCKER-008", "apt-get install without --no-install-recommends", _S.INFO, ("PLAT-02",),
    "Recommended packages add software nobody asked for, and with it vulnerabilities to track.",
    "Use `apt-get install -y --no-install-recommends ...` and remove /var/lib/apt/lists afterwards.",
)  # fmt: skip
DOCKER_PIP_UNPINNED = _rule(
    "MW-DOCKER-009", "pip install of unpinned packages in the image", _S.LOW, ("PLAT-02", "PLAT-06"),
    "Packages installed without `==` versions (or hashes) change between builds; a malicious or broken release "
    "reaches the image without review.",
    "Install from a lock file with hashes: `pip install --require-hashes -r requirements.lock`.",
    "CWE-1357",
)  # fmt: skip
DOCKER_CHMOD_777 = _rule(
    "MW-DOCKER-010", "World-writable permissions (chmod 777)", _S.MEDIUM, ("SERVE-03", "PLAT-05"),
    "World-writable files let any process in the container replace code or model files that the server loads.",
    "Grant the minimum: owner-writable (755/644) and chown to the service user.",
    "CWE-732",
)  # fmt: skip
DOCKER_SSH_PORT = _rule(
    "MW-DOCKER-011", "Image exposes SSH (port 22)", _S.MEDIUM, ("PLAT-05", "SERVE-03"),
    "An SSH server in a model-serving image is an extra remote login with its own credentials to leak.",
    "Remove sshd; use `kubectl exec` / `docker exec` for debugging.",
    "CWE-284",
)  # fmt: skip
DOCKER_SUDO = _rule(
    "MW-DOCKER-012", "sudo used in the image", _S.MEDIUM, ("PLAT-05", "SERVE-03"),
    "sudo in an image usually means the runtime user can become root again, undoing USER.",
    "Run privileged steps before USER, as root, without sudo; do not install sudo in the final stage.",
    "CWE-250",
)  # fmt: skip
DOCKER_TLS_OFF = _rule(
    "MW-DOCKER-013", "Download or package verification disabled", _S.MEDIUM, ("PLAT-06", "PLAT-02"),
    "curl -k, wget --no-check-certificate, pip --trusted-host, apt --allow-unauthenticated, apk --allow-untrusted, "
    "yum --nogpgcheck, PYTHONHTTPSVERIFY=0 and similar switch off the checks that stop a tampered download.",
    "Remove the flag or variable; fix the CA bundle (ca-certificates, REQUESTS_CA_BUNDLE) instead.",
    "CWE-295",
)  # fmt: skip

# --- Kubernetes --------------------------------------------------------------------------------------------------
K8S_PRIVILEGED = _rule(
    "MW-K8S-001", "Privileged container", _S.CRITICAL, ("SERVE-03", "PLAT-05"),
    "privileged: true gives the container every capability and the host's devices: code execution in the "
    "model server is root on the node.",
    "Remove privileged; grant single capabilities only if the workload really needs them.",
    "CWE-250",
    Stage.SERVING,
)  # fmt: skip
K8S_PRIV_ESCALATION = _rule(
    "MW-K8S-002", "allowPrivilegeEscalation is not false", _S.MEDIUM, ("SERVE-03",),
    "Unless set to false, a process can gain more privileges than its parent (setuid binaries, file capabilities).",
    "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
    "CWE-269",
    Stage.SERVING,
)  # fmt: skip
K8S_ROOT = _rule(
    "MW-K8S-003", "Container may run as root", _S.MEDIUM, ("SERVE-03", "PLAT-05"),
    "Neither the pod nor the container sets runAsNonRoot: true (or runAsUser is 0), so the image's default user, "
    "often root, serves the model.",
    "Set `runAsNonRoot: true` and a non-zero `runAsUser` in the pod or container securityContext.",
    "CWE-250",
    Stage.SERVING,
)  # fmt: skip
K8S_HOSTPATH = _rule(
    "MW-K8S-004", "hostPath volume", _S.HIGH, ("SERVE-03", "PLAT-05"),
    "A hostPath volume exposes the node's file system to the pod; `/`, the container runtime socket or /etc "
    "give full control of the node.",
    "Use a PersistentVolumeClaim, emptyDir, ConfigMap or a CSI volume for model files instead.",
    "CWE-668",
    Stage.SERVING,
)  # fmt: skip
K8S_HOST_NAMESPACE = _rule(
    "MW-K8S-005", "Pod shares a host namespace", _S.HIGH, ("SERVE-03", "PLAT-05"),
    "hostNetwork, hostPID or hostIPC put the pod in the node's namespaces: it can sniff node traffic, reach "
    "services bound to localhost, or see and signal every process on the node.",
    "Remove hostNetwork/hostPID/hostIPC; expose the server through a Service.",
    "CWE-668",
    Stage.SERVING,
)  # fmt: skip
K8S_CAPABILITIES = _rule(
    "MW-K8S-006", "Container adds Linux capabilities", _S.MEDIUM, ("SERVE-03", "PLAT-05"),
    "capabilities.add grants kernel privileges; ALL or SYS_ADMIN are equivalent to root on the node, "
    "NET_ADMIN, SYS_PTRACE, SYS_MODULE and similar are nearly so.",
    "Drop ALL and add back only what is needed (NET_BIND_SERVICE at most for a model server).",
    "CWE-250",
    Stage.SERVING,
)  # fmt: skip
K8S_NO_LIMITS = _rule(
    "MW-K8S-007", "Container has no CPU or memory limit", _S.MEDIUM, ("SERVE-07", "SERVE-09"),
    "Without limits one expensive request (a long generation, a huge batch) can take all of a node's CPU or "
    "memory and starve every other model on it.",
    "Set `resources.limits.cpu` and `resources.limits.memory` (and requests) for every container.",
    "CWE-770",
    Stage.SERVING,
)  # fmt: skip
K8S_WRITABLE_ROOT = _rule(
    "MW-K8S-008", "Root file system is writable", _S.LOW, ("SERVE-03",),
    "Without readOnlyRootFilesystem: true an attacker who gets code execution can drop tools or replace the "
    "server's code and model files.",
    "Set `readOnlyRootFilesystem: true`; mount an emptyDir for the paths that must be writable (/tmp, caches).",
    "CWE-732",
    Stage.SERVING,
)  # fmt: skip
K8S_ENV_SECRET = _rule(
    "MW-K8S-009", "Secret in a plain env value", _S.HIGH, ("PLAT-05",),
    "A credential written into the manifest is readable by everyone with access to the repository, the "
    "cluster's etcd backups and `kubectl get -o yaml`.",
    _ROTATE,
    "CWE-798",
)  # fmt: skip
K8S_SA_TOKEN = _rule(
    "MW-K8S-010", "Service account token is mounted", _S.LOW, ("PLAT-05", "SERVE-03"),
    "automountServiceAccountToken is not false: code execution in the model server gets a Kubernetes API token.",
    "Set `automountServiceAccountToken: false` on the pod (or its ServiceAccount) unless it calls the API.",
    "CWE-269",
    Stage.SERVING,
)  # fmt: skip
K8S_IMAGE_LATEST = _rule(
    "MW-K8S-011", "Container image is `latest` or untagged", _S.MEDIUM, ("PLAT-02", "PLAT-06"),
    "A mutable tag makes rollouts non-reproducible and lets a registry push change what runs in production.",
    "Deploy images by version tag and digest (`image: repo/server:1.4.2@sha256:...`).",
    "CWE-1357",
)  # fmt: skip
K8S_PULL_POLICY = _rule(
    "MW-K8S-012", "Mutable image tag with a cached pull policy", _S.LOW, ("PLAT-02",),
    "With `latest` and imagePullPolicy IfNotPresent/Never, nodes run whichever image they pulled first: "
    "replicas of one Deployment can serve different model servers.",
    "Pin the image by digest; otherwise set `imagePullPolicy: Always`.",
)  # fmt: skip
K8S_IMAGE_TAG_ONLY = _rule(
    "MW-K8S-013", "Container image pinned by tag, not by digest", _S.INFO, ("PLAT-02",),
    "A tag can be moved by whoever controls the registry repository; only a digest names fixed content.",
    "Append the digest (`image: repo/server:1.4.2@sha256:...`) or enforce digests with an admission policy.",
    "CWE-1357",
)  # fmt: skip
K8S_EXPOSED_SERVICE = _rule(
    "MW-K8S-014", "Service exposed outside the cluster", _S.INFO, ("SERVE-09", "PLAT-05"),
    "A LoadBalancer or NodePort Service publishes the model server beyond the cluster; model servers "
    "(Triton, TorchServe, TF Serving, vLLM) ship without authentication or rate limits.",
    "Put the endpoint behind an authenticating gateway or ingress with rate limits, or use ClusterIP.",
    "CWE-306",
    Stage.SERVING,
)  # fmt: skip
K8S_SECCOMP = _rule(
    "MW-K8S-015", "No seccomp profile", _S.LOW, ("SERVE-03",),
    "Without seccompProfile RuntimeDefault (or Localhost) the container may call every system call, "
    "widening the kernel attack surface for a breakout.",
    "Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod.",
    "CWE-693",
    Stage.SERVING,
)  # fmt: skip
K8S_MALFORMED = _rule(
    "MW-K8S-016", "Kubernetes manifest cannot be parsed safely", _S.MEDIUM, ("SERVE-07", "PLAT-06"),
    "A document is not valid YAML or exceeds the parser's limits (an alias-heavy 'billion laughs' document, "
    "too deep, too large). Such a document was used against the Kubernetes API server (CVE-2019-11253); its "
    "other checks could not run.",
    "Fix the YAML; a document with hundreds of aliases is hostile and must not be applied.",
    "CWE-776",
)  # fmt: skip

# --- docker-compose ----------------------------------------------------------------------------------------------
COMPOSE_PRIVILEGED = _rule(
    "MW-COMPOSE-001", "Privileged compose service", _S.CRITICAL, ("SERVE-03", "PLAT-05"),
    "privileged: true gives the service root-equivalent access to the host.",
    "Remove privileged; add single capabilities with cap_add only when required.",
    "CWE-250",
    Stage.SERVING,
)  # fmt: skip
COMPOSE_HOST_NAMESPACE = _rule(
    "MW-COMPOSE-002", "Compose service shares a host namespace", _S.HIGH, ("SERVE-03", "PLAT-05"),
    "network_mode/pid/ipc: host put the service in the host's namespaces.",
    "Use the default bridge network and publish only the ports the server needs.",
    "CWE-668",
    Stage.SERVING,
)  # fmt: skip
COMPOSE_HOST_MOUNT = _rule(
    "MW-COMPOSE-003", "Compose service mounts the Docker socket or the host root", _S.CRITICAL, ("SERVE-03", "PLAT-05"),
    "A bind mount of /var/run/docker.sock (or another runtime socket) or of `/` is root on the host.",
    "Remove the mount; mount only the model directory, read-only (`./models:/models:ro`).",
    "CWE-668",
    Stage.SERVING,
)  # fmt: skip
COMPOSE_CAPABILITIES = _rule(
    "MW-COMPOSE-004", "Compose service adds Linux capabilities", _S.MEDIUM, ("SERVE-03", "PLAT-05"),
    "cap_add grants kernel privileges; ALL or SYS_ADMIN are root-equivalent.",
    "Remove cap_add or keep only NET_BIND_SERVICE; add `cap_drop: [ALL]`.",
    "CWE-250",
    Stage.SERVING,
)  # fmt: skip
COMPOSE_SECRET = _rule(
    "MW-COMPOSE-005", "Secret in a compose environment value", _S.HIGH, ("PLAT-05",),
    "A credential written into the compose file is readable by everyone with access to the repository.",
    "Use compose `secrets:` or an env_file that is not committed; rotate the leaked value.",
    "CWE-798",
)  # fmt: skip
COMPOSE_NO_LIMITS = _rule(
    "MW-COMPOSE-006", "Compose service has no memory limit", _S.LOW, ("SERVE-07", "SERVE-09"),
    "Without mem_limit or deploy.resources.limits one request can exhaust the host's memory.",
    "Set `deploy.resources.limits.memory` (and cpus), or mem_limit.",
    "CWE-770",
    Stage.SERVING,
)  # fmt: skip
COMPOSE_IMAGE_LATEST = _rule(
    "MW-COMPOSE-007", "Compose image is `latest` or untagged", _S.MEDIUM, ("PLAT-02", "PLAT-06"),
    "A mutable tag makes every `docker compose pull` a possibly different, unreviewed server.",
    "Pin images by version tag and digest.",
    "CWE-1357",
)  # fmt: skip
COMPOSE_UNCONFINED = _rule(
    "MW-COMPOSE-008", "Compose service disables seccomp or AppArmor", _S.HIGH, ("SERVE-03",),
    "security_opt seccomp:unconfined or apparmor:unconfined removes the kernel sandbox around the container.",
    "Remove the option; write a custom profile if a system call is really needed.",
    "CWE-693",
    Stage.SERVING,
)  # fmt: skip
COMPOSE_MALFORMED = _rule(
    "MW-COMPOSE-009", "Compose file cannot be parsed safely", _S.MEDIUM, ("SERVE-07", "PLAT-06"),
    "The file is not valid YAML or exceeds the parser's limits (alias bomb, depth, size); no check could run.",
    "Fix the YAML; an alias-heavy document is hostile.",
    "CWE-776",
)  # fmt: skip

# --- CI ----------------------------------------------------------------------------------------------------------
CI_UNPINNED_ACTION = _rule(
    "MW-CI-001", "Action or reusable workflow not pinned to a commit SHA", _S.MEDIUM, ("PLAT-06", "PLAT-02"),
    "A tag or branch (`@v4`, `@main`) can be moved by the action's owner or by whoever compromises it (as with "
    "tj-actions/changed-files in 2025); the workflow then runs new code with its secrets and token.",
    "Pin to the full 40-character commit SHA (`uses: owner/action@<sha> # v4.1.0`) and let Dependabot update it.",
    "CWE-829",
)  # fmt: skip
CI_PWN_REQUEST = _rule(
    "MW-CI-002", "pull_request_target/workflow_run checks out untrusted code", _S.CRITICAL, ("PLAT-06", "PLAT-05"),
    "The workflow runs with the base repository's secrets and a write token but checks out the pull request's "
    "head: any fork can run code in a privileged job (a 'pwn request').",
    "Use `pull_request` for building untrusted code; if pull_request_target is needed, never check out or run "
    "the head ref in it.",
    "CWE-829",
)  # fmt: skip
CI_SCRIPT_INJECTION = _rule(
    "MW-CI-003", "Untrusted event data expanded into a script", _S.HIGH, ("PLAT-06", "PLAT-05"),
    "`${{ github.event.issue.title }}` and similar fields are attacker-controlled and substituted into the "
    "script text before the shell runs it: a crafted title runs commands with the job's secrets.",
    "Pass the value through an environment variable (`env: TITLE: ${{ ... }}` then `\"$TITLE\"`).",
    "CWE-78",
)  # fmt: skip
CI_SECRET_ECHO = _rule(
    "MW-CI-004", "Secret printed in a CI log", _S.HIGH, ("PLAT-05",),
    "echo/printf of a secret writes it to the job log; masking misses transformed values (base64, substrings) "
    "and anyone with read access to the logs sees them.",
    "Never print secrets; pass them to the tool through stdin or an environment variable.",
    "CWE-532",
)  # fmt: skip
CI_PERMISSIONS = _rule(
    "MW-CI-005", "Workflow token has broad permissions", _S.LOW, ("PLAT-05", "PLAT-06"),
    "Without a top-level `permissions:` block (or with write-all) the GITHUB_TOKEN may get write access to "
    "the repository, packages and releases, which a compromised step can use.",
    "Add `permissions: contents: read` at the top and grant writes per job.",
    "CWE-250",
)  # fmt: skip
CI_NO_GATE = _rule(
    "MW-CI-006", "CI pipeline runs no security scanner", _S.INFO, ("PLAT-06", "PLAT-01"),
    "No step runs mlwarden or another scanner (modelscan, picklescan, bandit, pip-audit, trivy, semgrep, "
    "CodeQL, gitleaks, GitLab security templates): models and code reach production unchecked.",
    "Add a gate, e.g. `mlwarden scan . --fail-on high --format sarif -o mlwarden.sarif`.",
)  # fmt: skip
CI_IMAGE_LATEST = _rule(
    "MW-CI-007", "CI job image is `latest` or untagged", _S.MEDIUM, ("PLAT-06", "PLAT-02"),
    "The job runs in whatever the image's owner pushed last, with the pipeline's secrets.",
    "Pin the job image to a version tag and digest.",
    "CWE-1357",
)  # fmt: skip
CI_PIPE_SHELL = _rule(
    "MW-CI-008", "Remote script piped into a shell in CI", _S.HIGH, ("PLAT-06", "PLAT-02"),
    "`curl ... | sh` in a pipeline runs unreviewed code with the pipeline's secrets (the Codecov uploader "
    "compromise of 2021 spread this way).",
    "Download, verify a checksum or signature, then run; or use a pinned action or package.",
    "CWE-494",
)  # fmt: skip
CI_PLAIN_SECRET = _rule(
    "MW-CI-009", "Secret written into a CI file", _S.HIGH, ("PLAT-05",),
    "A credential in `env:` or `variables:` of a committed pipeline is readable by everyone with the repository.",
    "Move it to the CI system's secret store (GitHub secrets, GitLab masked/protected variables) and rotate it.",
    "CWE-798",
)  # fmt: skip
CI_MALFORMED = _rule(
    "MW-CI-010", "CI file cannot be parsed safely", _S.MEDIUM, ("PLAT-06",),
    "The workflow is not valid YAML or exceeds the parser's limits (alias bomb, depth, size); no check could run.",
    "Fix the YAML; an alias-heavy document is hostile.",
    "CWE-776",
)  # fmt: skip

DOCKER_RULES: tuple[Rule, ...] = (
    DOCKER_ROOT, DOCKER_LATEST, DOCKER_TAG_ONLY, DOCKER_ADD_URL, DOCKER_PIPE_SHELL, DOCKER_SECRET,
    DOCKER_NO_HEALTHCHECK, DOCKER_APT_RECOMMENDS, DOCKER_PIP_UNPINNED, DOCKER_CHMOD_777, DOCKER_SSH_PORT,
    DOCKER_SUDO, DOCKER_TLS_OFF,
)  # fmt: skip
K8S_RULES: tuple[Rule, ...] = (
    K8S_PRIVILEGED, K8S_PRIV_ESCALATION, K8S_ROOT, K8S_HOSTPATH, K8S_HOST_NAMESPACE, K8S_CAPABILITIES,
    K8S_NO_LIMITS, K8S_WRITABLE_ROOT, K8S_ENV_SECRET, K8S_SA_TOKEN, K8S_IMAGE_LATEST, K8S_PULL_POLICY,
    K8S_IMAGE_TAG_ONLY, K8S_EXPOSED_SERVICE, K8S_SECCOMP, K8S_MALFORMED,
)  # fmt: skip
COMPOSE_RULES: tuple[Rule, ...] = (
    COMPOSE_PRIVILEGED, COMPOSE_HOST_NAMESPACE, COMPOSE_HOST_MOUNT, COMPOSE_CAPABILITIES, COMPOSE_SECRET,
    COMPOSE_NO_LIMITS, COMPOSE_IMAGE_LATEST, COMPOSE_UNCONFINED, COMPOSE_MALFORMED,
)  # fmt: skip
CI_RULES: tuple[Rule, ...] = (
    CI_UNPINNED_ACTION, CI_PWN_REQUEST, CI_SCRIPT_INJECTION, CI_SECRET_ECHO, CI_PERMISSIONS, CI_NO_GATE,
    CI_IMAGE_LATEST, CI_PIPE_SHELL, CI_PLAIN_SECRET, CI_MALFORMED,
)  # fmt: skip
PLATFORM_RULES: tuple[Rule, ...] = (*DOCKER_RULES, *K8S_RULES, *COMPOSE_RULES, *CI_RULES)
