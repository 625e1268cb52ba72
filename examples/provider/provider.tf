# Recommended: everything from the environment, so that no secret is in the
# configuration, the plan or version control.
#
#   export ALATION_BASE_URL=https://alation.example.com
#   export ALATION_REFRESH_TOKEN=...      # with ALATION_USER_ID=42
#   # or ALATION_CLIENT_ID / ALATION_CLIENT_SECRET, or ALATION_API_ACCESS_TOKEN
provider "alation" {}
