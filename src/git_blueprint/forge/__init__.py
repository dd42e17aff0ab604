"""The forges' web APIs (GitHub, GitLab): the one pull-request comment or merge-request note
that carries the semantic diff, kept up to date by the CI job. Standard library only."""
