#!/usr/bin/env bash
# Development only: a throw-away certificate authority and one certificate for every KvGrid pod (silos and the sweep
# Job present the same one; the gateways accept any certificate this authority signed), stored as Secret kvgrid-tls
# with the keys cert-manager writes (tls.crt, tls.key, ca.crt). Production: issue them with cert-manager or your PKI.
#   k8s/tools/dev-tls.sh [NAMESPACE]     (default kvgrid-dev)
set -euo pipefail
namespace="${1:-kvgrid-dev}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=kvgrid dev authority" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=kvgrid" -keyout "$dir/tls.key" -out "$dir/tls.csr" 2>/dev/null
printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:kvgrid\n' > "$dir/ext"
openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 365 \
  -extfile "$dir/ext" -out "$dir/tls.crt" 2>/dev/null
kubectl -n "$namespace" create secret generic kvgrid-tls \
  --from-file=tls.crt="$dir/tls.crt" --from-file=tls.key="$dir/tls.key" --from-file=ca.crt="$dir/ca.crt" \
  --dry-run=client -o yaml | kubectl -n "$namespace" apply -f -
echo "Secret kvgrid-tls written to namespace $namespace"
