"""Who may publish what: the publishing policy of region.yaml and unit.yaml, proven by signed commits.

Modules: model (the policy as data), in_force (which policy is in force: a commit that switches it off
must be signed by an administrator of the one before), gitio (the git processes), verify (verdicts of
commits), enforce (what they block in a build), codeowners, commands (`bip policy`). Nothing is imported
here: a build of a region that never had a policy loads only `model` and `in_force`, and runs no git for it.
"""
