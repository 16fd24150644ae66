"""Who may publish what: the publishing policy of region.yaml and unit.yaml, proven by signed commits.

Modules: model (the policy as data), gitio (the git processes), verify (verdicts of commits), enforce (what
they block in a build), codeowners, cli, demo. Nothing is imported here: a build with the policy off loads
only `model`.
"""
