"""Method support: the guided workflow, the methods library, regional situation reports, meetings
of the network and early signals (see docs/methods.md and docs/adr/0007-method-support.md).

``detection`` is framework-free (NumPy and SciPy); everything else is a Django app.
"""
