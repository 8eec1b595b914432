#!/usr/bin/env bash
# promtool checks the metrics output and the alert rules in the tests. It comes with Debian's `prometheus` package;
# installing that package does not start a server here (no init system), and the tests run promtool only.
set -euo pipefail
command -v promtool >/dev/null && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "promtool is missing: install Debian's prometheus package (apt-get install prometheus)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
