#!/usr/bin/env bash
# Debian packages the tests and the lab need. Services are installed but never started by the package manager:
# the lab starts its own dnsmasq, Caddy and sshd inside namespaces it owns.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PKGS=(chromium openssh-server openssh-client dnsmasq caddy iptables iproute2 bubblewrap busybox curl openssl procps psmisc fonts-dejavu-core docker-compose)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  rm -f /usr/sbin/policy-rc.d
fi
# Packages may have started daemons on hosts without policy-rc.d support; the lab needs their ports free.
pkill -x dnsmasq 2>/dev/null || true
pkill -x caddy 2>/dev/null || true
