#!/usr/bin/env bash
# Deploys Coding Engine to Azure in one command, and again whenever it is run again (every step is
# idempotent: what exists is kept, what is missing is made). It prints each step and a summary.
#
#   RESOURCE_GROUP=coding-engine LOCATION=eastus2 ./infra/deploy.sh [extra main.bicep parameters...]
#   e.g.  ./infra/deploy.sh workerMinReplicas=4 readySessions=15
#
# Steps (docs/azure.md, "Deploy"):
#   1. stage 1 of infra/main.bicep (deployApps=false): identity, registry, environment, Service Bus,
#      Storage, Application Insights and every role assignment;
#   2. the three images, tagged with the commit (plus a timestamp when the tree has uncommitted
#      changes, since a session pool caches its image by tag), built in Azure (ACR Tasks) or with
#      a local Docker and pushed; an image whose tag is in the registry already is not built again;
#   3. when stage 1 made new role assignments: a wait until they have propagated (up to 10
#      minutes, Microsoft Learn "Troubleshoot Azure RBAC"), less the time the builds took, because
#      the session pool pulls and caches its image when it is created;
#   4. stage 2 (deployApps=true): the session pool and the apps.
#
# Needs the Azure CLI with Bicep (`az bicep install`), a login (`az login`), and on the resource
# group the right to create role assignments (Owner, or Contributor + User Access Administrator).
# Environment: RESOURCE_GROUP (coding-engine), LOCATION (eastus2), PREFIX (codeeng), IMAGE_TAG
# (see step 2), REGISTRY (derived from the resource group's id), BUILD (auto: local when a Docker
# engine answers, else acr; acr: ACR Tasks, which free-credit subscriptions may not offer; local:
# docker build + push), RBAC_WAIT (600 seconds), FORCE_BUILD (1: build even a tag that exists).
set -euo pipefail
cd "$(dirname "$0")/.."

group="${RESOURCE_GROUP:-coding-engine}"
location="${LOCATION:-eastus2}"
prefix="${PREFIX:-codeeng}"
build="${BUILD:-auto}"
rbac_wait="${RBAC_WAIT:-600}"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
summary=()
step() { echo "==> $*"; }
did() { summary+=("$*"); echo "    $*"; }

# The session pool's name is "${prefix}sessions" and must match ^[a-z][a-z0-9]*$ (REST API).
[[ "$prefix" =~ ^[a-z][a-z0-9]{2,10}$ ]] || {
  echo "PREFIX must be a lower-case letter then lower-case letters and digits, 3 to 11 characters: $prefix" >&2; exit 1; }

if [ -n "${IMAGE_TAG:-}" ]; then
  tag="$IMAGE_TAG"
elif commit=$(git rev-parse --short=12 HEAD 2>/dev/null); then
  # A dirty tree gets a tag of its own: the pool would keep the image it cached for the clean one.
  if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    tag="$commit-dirty-$(date -u +%Y%m%d%H%M%S)"
  else
    tag="$commit"
  fi
else
  tag="build-$(date -u +%Y%m%d%H%M%S)"
fi

command -v az >/dev/null || { echo "the Azure CLI (az) is required: https://aka.ms/azure-cli" >&2; exit 1; }
if ! az account show --output none 2>/dev/null; then
  echo "not logged in to Azure: run 'az login' (and 'az account set --subscription <id>')" >&2
  exit 1
fi
step "subscription: $(az account show --query name --output tsv); resource group: $group ($location); image tag: $tag"

if [ "$(az group exists --name "$group")" = true ]; then
  did "resource group $group: exists, kept"
else
  az group create --name "$group" --location "$location" --output none
  did "resource group $group: created in $location"
fi
group_id=$(az group show --name "$group" --query id --output tsv)
registry="${REGISTRY:-$prefix$(printf '%s' "$group_id" | sha1sum | cut -c1-12)}"

# The Session Executor's role id, from the tenant's own definitions by the role's name: it is not
# on Microsoft's built-in roles page, and templates disagree (docs/azure.md, "Identities and roles").
executor_role=$(az role definition list --name "Azure ContainerApps Session Executor" --query "[0].name" --output tsv)
if [ -z "$executor_role" ]; then
  echo "no role named \"Azure ContainerApps Session Executor\" in this tenant; roles about sessions:" >&2
  az role definition list --query "[?contains(roleName, 'Session')].[roleName, name]" --output tsv >&2
  exit 1
fi
did "role \"Azure ContainerApps Session Executor\": $executor_role"

step "stage 1: identity, registry, environment, Service Bus, Storage, role assignments (infra/main.bicep deployApps=false)"
az deployment group create --resource-group "$group" --name coding-engine-foundation \
  --template-file infra/main.bicep \
  --parameters prefix="$prefix" imageTag="$tag" registryName="$registry" sessionExecutorRoleId="$executor_role" \
  deployApps=false "$@" --output none
principal=$(az deployment group show --resource-group "$group" --name coding-engine-foundation \
  --query properties.outputs.identityPrincipalId.value --output tsv)
login_server=$(az acr show --name "$registry" --query loginServer --output tsv)
new_roles=$(az role assignment list --assignee "$principal" --all --query "length([?createdOn >= '$started'])" --output tsv)
did "stage 1 deployed: registry $login_server, identity $principal, $new_roles new role assignment(s)"
rbac_since=$(date +%s)

if [ "$build" = auto ]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then build=local; else build=acr; fi
fi
step "images $tag ($build build)"
if [ "$build" = local ]; then
  az acr login --name "$registry" --output none
fi
for image in session-image api worker; do
  if [ "${FORCE_BUILD:-0}" != 1 ] && az acr repository show --name "$registry" --image "$image:$tag" --output none 2>/dev/null; then
    did "$image:$tag: in the registry already, not built again"
    continue
  fi
  case "$build" in
    acr)
      if ! az acr build --registry "$registry" --image "$image:$tag" --file "$image/Dockerfile" . --output none; then
        echo "az acr build failed; if this subscription cannot run ACR Tasks (free-credit subscriptions often cannot), build locally: BUILD=local $0" >&2
        exit 1
      fi ;;
    local)
      docker build --file "$image/Dockerfile" --tag "$login_server/$image:$tag" .
      docker push "$login_server/$image:$tag" ;;
    *) echo "BUILD must be auto, acr or local: $build" >&2; exit 1 ;;
  esac
  did "$image:$tag: built ($build) and pushed to $login_server"
done

if [ "$new_roles" != 0 ]; then
  left=$(( rbac_wait - ($(date +%s) - rbac_since) ))
  if [ "$left" -gt 0 ]; then
    step "waiting ${left}s for the new role assignments to propagate (RBAC_WAIT=$rbac_wait)"
    sleep "$left"
  fi
  did "role assignments: waited ${rbac_wait}s from their creation before the pool and the apps"
else
  did "role assignments: none new, no wait"
fi

step "stage 2: session pool, api and worker (infra/main.bicep deployApps=true)"
az deployment group create --resource-group "$group" --name coding-engine \
  --template-file infra/main.bicep \
  --parameters prefix="$prefix" imageTag="$tag" registryName="$registry" sessionExecutorRoleId="$executor_role" \
  deployApps=true "$@" --output none
url=$(az deployment group show --resource-group "$group" --name coding-engine \
  --query properties.outputs.apiUrl.value --output tsv)
pool=$(az deployment group show --resource-group "$group" --name coding-engine \
  --query properties.outputs.sessionPoolName.value --output tsv)
did "stage 2 deployed: session pool $pool on session-image:$tag, api and worker on $tag"

echo
echo "done. what this run did:"
printf '  - %s\n' "${summary[@]}"
echo "api: $url"
echo "try: curl -s $url/api/v2/runtimes   (Piston needs a key on Azure: docs/operations.md, \"Access and keys\")"
