"""Rules of the platform scanner (Dockerfiles, Kubernetes, compose, CI): a data table, one Rule per check.

Risks: SERVE-03 breakout, SERVE-07/09 resources, PLAT-05 privileges and credentials, PLAT-06 unpinned or
unreviewed build inputs, PLAT-02 images nobody can identify or patch, PLAT-01 no security gate. Sources of the
checks: CIS Docker Benchmark section 4, the Kubernetes Pod Security Standards (baseline and restricted) and RBAC
good practices, GitHub's and GitLab's hardening guides, and public advisories for ML servers."""

from __future__ import annotations

from mlwarden.core.findings import Severity, Stage
from mlwarden.core.rules import Rule

__all__ = ["CI_RULES", "COMPOSE_RULES", "DOCKER_RULES", "K8S_RULES", "PLATFORM_RULES", "SERVER_RULES"]

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

DOCKER_UPDATE_ALONE = _rule(
    "MW-DOCKER-014", "Package index updated in a RUN of its own", _S.LOW, ("PLAT-02",),
    "`apt-get update` (or `apk update`, `yum makecache`) alone in a RUN is cached as its own layer: later builds "
    "install packages from a stale index and miss security updates (CIS Docker Benchmark 4.7).",
    "Update and install in the same RUN: `RUN apt-get update && apt-get install -y --no-install-recommends pkg`.",
)  # fmt: skip
DOCKER_ADD_LOCAL = _rule(
    "MW-DOCKER-015", "ADD used where COPY would do", _S.INFO, ("PLAT-06",),
    "ADD also fetches URLs and unpacks archives, so a file that changes from a plain file to an archive (or a "
    "path to a URL) silently changes what the build does; COPY only copies (CIS Docker Benchmark 4.9).",
    "Use COPY for local files; keep ADD only for an archive that must be unpacked or a URL with --checksum.",
)  # fmt: skip
DOCKER_SECRET_FILE = _rule(
    "MW-DOCKER-016", "Credential file copied into the image", _S.HIGH, ("PLAT-05",),
    "COPY/ADD of a key, token or credentials file (.env, id_rsa, *.pem, .netrc, .npmrc, .pypirc, kaggle.json, "
    "cloud or Kubernetes credentials) puts it in a layer: deleting it later does not remove it from the image "
    "(CIS Docker Benchmark 4.10).",
    "Use a build secret (`RUN --mount=type=secret,id=...`) or inject it at run time; add the file to "
    ".dockerignore and rotate it.",
    "CWE-538",
)  # fmt: skip
DOCKER_MALFORMED = _rule(
    "MW-DOCKER-017", "Dockerfile instruction is malformed", _S.LOW, ("PLAT-06",),
    "An instruction Docker reads differently from how it looks: a line continuation or heredoc that never ends, "
    "an exec-form (JSON) CMD/ENTRYPOINT/RUN that is not valid JSON (Docker then runs the text through "
    "`/bin/sh -c`), an unknown instruction or a FROM without an image. The build fails or does something "
    "other than what the reviewer saw, and the checks after it may be incomplete.",
    "Fix the instruction: close the heredoc, drop the trailing backslash, use double quotes in JSON arrays.",
    "CWE-1286",
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

K8S_HOST_PORT = _rule(
    "MW-K8S-017", "Container binds a host port", _S.MEDIUM, ("SERVE-03", "PLAT-05"),
    "hostPort publishes the container on the node's own address, past Services, NetworkPolicies and load "
    "balancers (disallowed by the Pod Security Standards baseline).",
    "Remove hostPort and expose the model server through a Service.",
    "CWE-668",
    Stage.SERVING,
)  # fmt: skip
K8S_PROC_MOUNT = _rule(
    "MW-K8S-018", "/proc is mounted unmasked", _S.HIGH, ("SERVE-03",),
    "procMount: Unmasked removes the masking of sensitive /proc paths that keeps a container from reading and "
    "changing kernel settings of the node (disallowed by the Pod Security Standards baseline).",
    "Remove procMount or set it to Default.",
    "CWE-250",
    Stage.SERVING,
)  # fmt: skip
K8S_UNSAFE_SYSCTL = _rule(
    "MW-K8S-019", "Pod sets an unsafe sysctl", _S.MEDIUM, ("SERVE-03", "SERVE-07"),
    "Only a small set of namespaced sysctls is safe (Pod Security Standards baseline); others change kernel "
    "behaviour for the whole node or for other pods on it.",
    "Remove the sysctl or configure it on the node; keep to the safe set (net.ipv4.ip_local_port_range, "
    "net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, ...).",
    "CWE-250",
    Stage.SERVING,
)  # fmt: skip
K8S_MAC_DISABLED = _rule(
    "MW-K8S-020", "AppArmor or SELinux confinement removed", _S.MEDIUM, ("SERVE-03",),
    "An AppArmor profile of `unconfined` or a custom SELinux type/user/role (spc_t is a super-privileged "
    "container) removes the mandatory access control that contains a compromised server (Pod Security Standards "
    "baseline).",
    "Use the runtime default AppArmor profile and leave seLinuxOptions type to the runtime (container_t).",
    "CWE-693",
    Stage.SERVING,
)  # fmt: skip
K8S_CAPS_NOT_DROPPED = _rule(
    "MW-K8S-021", "Container does not drop all capabilities", _S.LOW, ("SERVE-03",),
    "The container keeps the runtime's default capabilities (CHOWN, SETUID, NET_RAW...); the Pod Security "
    "Standards restricted profile requires `drop: [ALL]`.",
    "Set `securityContext.capabilities.drop: [ALL]` and add back NET_BIND_SERVICE only if needed.",
    "CWE-250",
    Stage.SERVING,
)  # fmt: skip
K8S_RBAC_WILDCARD = _rule(
    "MW-K8S-022", "RBAC role grants wildcard or escalating permissions", _S.HIGH, ("PLAT-05",),
    "A Role or ClusterRole with `*` in verbs, resources or apiGroups, or with escalate/bind/impersonate, reads "
    "of secrets or pods/exec, lets whoever holds it take over the namespace or the cluster, including every "
    "model, dataset credential and serving token in it.",
    "List the exact apiGroups, resources and verbs the workload needs; never grant escalate, bind or impersonate.",
    "CWE-269",
)  # fmt: skip
K8S_ADMIN_BINDING = _rule(
    "MW-K8S-023", "Binding grants cluster-admin or a role to anonymous users", _S.HIGH, ("PLAT-05",),
    "A (Cluster)RoleBinding to cluster-admin makes its subjects owners of the whole cluster; a binding to "
    "system:anonymous, system:unauthenticated, system:authenticated or a default service account hands a role "
    "to everyone or to every pod.",
    "Bind a narrow Role to a dedicated ServiceAccount; never bind cluster-admin to workloads or broad groups.",
    "CWE-269",
)  # fmt: skip
K8S_SECRET_MANIFEST = _rule(
    "MW-K8S-024", "Secret manifest with literal data committed", _S.MEDIUM, ("PLAT-05",),
    "A `kind: Secret` with `data` or `stringData` values in the repository: base64 is an encoding, not "
    "encryption, and everyone with the repository can read the credential.",
    "Commit a SealedSecret, an ExternalSecret or a SOPS-encrypted file instead, and rotate the value.",
    "CWE-312",
)  # fmt: skip
K8S_KSERVE_NO_AUTH = _rule(
    "MW-K8S-025", "KServe InferenceService without authentication", _S.LOW, ("PLAT-05", "SERVE-09"),
    "KServe does not authenticate prediction requests itself: unless the service is cluster-local or "
    "authentication is enabled (`security.opendatahub.io/enable-auth: \"true\"` or an authorizing gateway), "
    "anyone who reaches the ingress can query, probe and overload the model.",
    "Label the service `networking.kserve.io/visibility: cluster-local`, or enable token authentication / an "
    "Istio AuthorizationPolicy in front of it.",
    "CWE-306",
    Stage.SERVING,
)  # fmt: skip
K8S_TEMPLATE = _rule(
    "MW-K8S-026", "Unrendered template not checked", _S.INFO, ("PLAT-06",),
    "The document contains template syntax (`{{ ... }}`, Helm or similar) and is not valid YAML until it is "
    "rendered, so none of the manifest checks ran on it.",
    "Render the chart (`helm template ...` or `kustomize build`) and scan the output.",
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

CI_SELF_HOSTED_PR = _rule(
    "MW-CI-011", "Self-hosted runner runs pull request code", _S.HIGH, ("PLAT-06", "PLAT-05"),
    "A job on a self-hosted runner in a workflow triggered by pull requests runs a fork's code on a machine "
    "that persists between jobs and usually sits inside the network: the attacker can leave a backdoor for the "
    "next job or reach internal services.",
    "Run pull request jobs on GitHub-hosted or ephemeral, isolated runners; require approval for fork workflows.",
    "CWE-829",
)  # fmt: skip
CI_UNSECURE_COMMANDS = _rule(
    "MW-CI-012", "Deprecated workflow commands re-enabled", _S.MEDIUM, ("PLAT-06",),
    "ACTIONS_ALLOW_UNSECURE_COMMANDS=true turns `::set-env` and `::add-path` back on: any text printed to the "
    "log (an issue title, a test's output) can set environment variables such as LD_PRELOAD or NODE_OPTIONS "
    "for later steps.",
    "Remove the variable; write to $GITHUB_ENV and $GITHUB_PATH from trusted values only.",
    "CWE-74",
)  # fmt: skip
CI_DIND = _rule(
    "MW-CI-013", "Docker-in-Docker service in CI", _S.MEDIUM, ("PLAT-05", "PLAT-06"),
    "A docker:dind service needs a privileged runner: every job on it is root on the runner host. Without TLS "
    "(DOCKER_TLS_CERTDIR empty, tcp://...:2375) any container on the network can drive the daemon.",
    "Build images with a daemonless builder (kaniko, buildah, BuildKit rootless); if dind is unavoidable keep TLS "
    "on and use dedicated, ephemeral runners.",
    "CWE-250",
)  # fmt: skip

# --- ML servers --------------------------------------------------------------------------------------------------
SERVER_JUPYTER = _rule(
    "MW-SERVER-001", "Jupyter server without a token or password", _S.HIGH, ("PLAT-05", "SERVE-03"),
    "An empty token and password (`--NotebookApp.token=''`, `--ServerApp.token=`, `--IdentityProvider.token=`, "
    "JUPYTER_TOKEN empty) leave the notebook open: anyone who reaches the port runs code as the server's user, "
    "with its data, models and cloud credentials; bound to 0.0.0.0 that is anyone on the network.",
    "Keep token authentication on (the default), or put the server behind an authenticating proxy "
    "(JupyterHub, oauth2-proxy) and bind it to 127.0.0.1.",
    "CWE-306",
    Stage.SERVING,
)  # fmt: skip
SERVER_MLFLOW = _rule(
    "MW-SERVER-002", "MLflow server on all interfaces without authentication", _S.HIGH, ("PLAT-05", "DATA-01"),
    "`mlflow server --host 0.0.0.0` without `--app-name basic-auth` serves the tracking server and the "
    "model registry to anyone who reaches it: they can read experiments and artifacts, register or replace "
    "models, and use the server's artifact-store credentials.",
    "Enable authentication (`--app-name basic-auth` or an authenticating proxy) and bind to 127.0.0.1 behind it.",
    "CWE-306",
    Stage.SERVING,
)  # fmt: skip
SERVER_RAY = _rule(
    "MW-SERVER-003", "Ray dashboard / Jobs API on all interfaces", _S.HIGH, ("PLAT-05", "SERVE-03"),
    "`--dashboard-host=0.0.0.0` exposes Ray's dashboard and Jobs API, which run any submitted command on the "
    "cluster and have no authentication (CVE-2023-48022, exploited as 'ShadowRay').",
    "Bind the dashboard to 127.0.0.1 (the default) and reach it through `kubectl port-forward` or an "
    "authenticating proxy; restrict it with a NetworkPolicy.",
    "CWE-306",
    Stage.SERVING,
)  # fmt: skip
SERVER_TORCHSERVE = _rule(
    "MW-SERVER-004", "TorchServe management API open", _S.HIGH, ("PLAT-05", "SERVE-03"),
    "A management_address on 0.0.0.0 lets any client register models, and with `allowed_urls` open it fetches "
    "them from any URL: a malicious model archive is code execution on the server (CVE-2023-43654, "
    "'ShellTorch').",
    "Bind management_address to 127.0.0.1, restrict allowed_urls to your model store, enable token "
    "authorization (TorchServe 0.11+) and upgrade to 0.8.2 or later.",
    "CWE-918",
    Stage.SERVING,
)  # fmt: skip
SERVER_TRITON = _rule(
    "MW-SERVER-005", "Triton model control API enabled", _S.MEDIUM, ("PLAT-05", "SERVE-03"),
    "`--model-control-mode=explicit` (or poll) lets clients of the HTTP/gRPC port load and unload models; with "
    "a writable repository or the Python backend that is code execution on the server, and unloading is a "
    "denial of service.",
    "Use `--model-control-mode=none` in production, or restrict the repository API "
    "(`--http-restricted-api=model-repository:<header>=<key>`) and keep the port internal.",
    "CWE-306",
    Stage.SERVING,
)  # fmt: skip

DOCKER_RULES: tuple[Rule, ...] = (
    DOCKER_ROOT, DOCKER_LATEST, DOCKER_TAG_ONLY, DOCKER_ADD_URL, DOCKER_PIPE_SHELL, DOCKER_SECRET,
    DOCKER_NO_HEALTHCHECK, DOCKER_APT_RECOMMENDS, DOCKER_PIP_UNPINNED, DOCKER_CHMOD_777, DOCKER_SSH_PORT,
    DOCKER_SUDO, DOCKER_TLS_OFF, DOCKER_UPDATE_ALONE, DOCKER_ADD_LOCAL, DOCKER_SECRET_FILE, DOCKER_MALFORMED,
)  # fmt: skip
K8S_RULES: tuple[Rule, ...] = (
    K8S_PRIVILEGED, K8S_PRIV_ESCALATION, K8S_ROOT, K8S_HOSTPATH, K8S_HOST_NAMESPACE, K8S_CAPABILITIES,
    K8S_NO_LIMITS, K8S_WRITABLE_ROOT, K8S_ENV_SECRET, K8S_SA_TOKEN, K8S_IMAGE_LATEST, K8S_PULL_POLICY,
    K8S_IMAGE_TAG_ONLY, K8S_EXPOSED_SERVICE, K8S_SECCOMP, K8S_MALFORMED, K8S_HOST_PORT, K8S_PROC_MOUNT,
    K8S_UNSAFE_SYSCTL, K8S_MAC_DISABLED, K8S_CAPS_NOT_DROPPED, K8S_RBAC_WILDCARD, K8S_ADMIN_BINDING,
    K8S_SECRET_MANIFEST, K8S_KSERVE_NO_AUTH, K8S_TEMPLATE,
)  # fmt: skip
COMPOSE_RULES: tuple[Rule, ...] = (
    COMPOSE_PRIVILEGED, COMPOSE_HOST_NAMESPACE, COMPOSE_HOST_MOUNT, COMPOSE_CAPABILITIES, COMPOSE_SECRET,
    COMPOSE_NO_LIMITS, COMPOSE_IMAGE_LATEST, COMPOSE_UNCONFINED, COMPOSE_MALFORMED,
)  # fmt: skip
CI_RULES: tuple[Rule, ...] = (
    CI_UNPINNED_ACTION, CI_PWN_REQUEST, CI_SCRIPT_INJECTION, CI_SECRET_ECHO, CI_PERMISSIONS, CI_NO_GATE,
    CI_IMAGE_LATEST, CI_PIPE_SHELL, CI_PLAIN_SECRET, CI_MALFORMED, CI_SELF_HOSTED_PR, CI_UNSECURE_COMMANDS, CI_DIND,
)  # fmt: skip
SERVER_RULES: tuple[Rule, ...] = (SERVER_JUPYTER, SERVER_MLFLOW, SERVER_RAY, SERVER_TORCHSERVE, SERVER_TRITON)
PLATFORM_RULES: tuple[Rule, ...] = (*DOCKER_RULES, *K8S_RULES, *COMPOSE_RULES, *CI_RULES, *SERVER_RULES)
