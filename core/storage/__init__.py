"""What lives on disk: MNIST and the symbols data, students' drawings, safe uploads, saved models.

Everything written here goes through ``core.paths``' atomic writes; a model file a user
uploads is never loaded.
"""
