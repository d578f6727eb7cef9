"""The Common Transfer File format without Django: what a CTF holds (`document`), reading one
safely and tolerantly (`reader`), and writing one (`writer`). Spec: shared/standards/spec.md §1."""
