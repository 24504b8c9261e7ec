#!/usr/bin/env bash
# Copies dashboards/*.json into k8s/base/dashboards/, where the kustomize configMapGenerator can read them
# (kustomize refuses files outside a kustomization's folder). Run it after changing a dashboard, and list any
# new dashboard in k8s/base/kustomization.yaml; tests/KvGrid.Deployment.Tests checks both.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/k8s/base/dashboards"
mkdir -p "$DEST"
rm -f "$DEST"/*.json
cp "$ROOT"/dashboards/*.json "$DEST"/
ls "$DEST"
