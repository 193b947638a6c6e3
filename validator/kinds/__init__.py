"""Document kinds as plug-ins: each kind recognizes its tables, builds the canonical
document and names the packs that check it."""
