#!/usr/bin/env bash
# Deploys Coding Engine to Azure in one command: builds the three images in Azure Container
# Registry (no local Docker needed), deploys infra/main.bicep (every resource and every role
# assignment), and prints the api URL.
#
#   RESOURCE_GROUP=coding-engine LOCATION=eastus2 ./infra/deploy.sh [extra main.bicep parameters...]
#   e.g.  ./infra/deploy.sh maxSessions=50 readySessions=5 workerMaxReplicas=10
#
# Needs the Azure CLI (with Bicep: `az bicep install`), a login (`az login`), and on the resource
# group the right to create role assignments (Owner, or Contributor + User Access Administrator).
set -euo pipefail
cd "$(dirname "$0")/.."

group="${RESOURCE_GROUP:-coding-engine}"
location="${LOCATION:-eastus2}"
prefix="${PREFIX:-codeeng}"
tag="${IMAGE_TAG:-$(git rev-parse --short HEAD 2>/dev/null || date +%Y%m%d%H%M%S)}"

command -v az >/dev/null || { echo "the Azure CLI (az) is required: https://aka.ms/azure-cli" >&2; exit 1; }
if ! az account show --output none 2>/dev/null; then
  echo "not logged in to Azure: run 'az login' (and 'az account set --subscription <id>')" >&2
  exit 1
fi
echo "subscription: $(az account show --query name --output tsv); resource group: $group ($location); tag: $tag"

az group create --name "$group" --location "$location" --output none

# The registry comes first: the images must be in it before the session pool and the apps pull
# them. Its name is derived from the resource group id (stable across runs, globally unique enough)
# and passed to the template, which adopts the registry unchanged.
group_id=$(az group show --name "$group" --query id --output tsv)
registry="${REGISTRY:-$prefix$(printf '%s' "$group_id" | sha1sum | cut -c1-12)}"
if ! az acr show --name "$registry" --resource-group "$group" --output none 2>/dev/null; then
  az acr create --name "$registry" --resource-group "$group" --location "$location" --sku Basic --admin-enabled false --output none
fi

for image in session-image api worker; do
  echo "building $image:$tag in $registry (az acr build)"
  az acr build --registry "$registry" --image "$image:$tag" --file "$image/Dockerfile" . --output none
done

echo "deploying infra/main.bicep"
az deployment group create --resource-group "$group" --name coding-engine \
  --template-file infra/main.bicep \
  --parameters prefix="$prefix" imageTag="$tag" registryName="$registry" "$@" \
  --output none

url=$(az deployment group show --resource-group "$group" --name coding-engine \
  --query properties.outputs.apiUrl.value --output tsv)
echo "api: $url"
echo "try: curl -s $url/api/v2/runtimes"
