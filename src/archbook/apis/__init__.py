"""One module per API kind: each turns its document into the normalised API model in archbook.model."""
