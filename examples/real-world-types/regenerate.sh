#!/usr/bin/env bash
# Regenerates src/<module>.rs from schemas/<schema>.json with `solo60-gen types`.
# CI runs this and fails on a `git diff`, so the output must be deterministic.
set -euo pipefail

crate_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workspace_dir="$(cd "$crate_dir/../.." && pwd)"
cd "$workspace_dir"

generate() {
    local schema="$1" root_name="$2" module="$3"
    local out="examples/real-world-types/src/$module.rs"
    cargo run -q -- types "examples/real-world-types/schemas/$schema.json" \
        --root-name "$root_name" -o "$out"
}

generate github-workflows GithubWorkflow github_workflows
generate github-actions GithubAction github_actions
generate dependabot DependabotConfig dependabot
generate readthedocs ReadTheDocsConfig readthedocs
generate changie ChangieConfig changie
