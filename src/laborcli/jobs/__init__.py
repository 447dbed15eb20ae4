"""Employer demand and matching people to jobs (docs/programmes.md, "Employer demand" and
"Matching people to jobs"): the demand sheet kind, the trades vocabulary, the proposals
(送岗到户) and the answers the officers bring back."""
