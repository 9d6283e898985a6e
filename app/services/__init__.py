"""Use cases without Qt: import packs, sit blocks, export history."""
