"""The municipality profile: `load` reads, inherits and validates it, `readiness`
lists what is still open before a decision, `starter` writes a new one for `init`."""
