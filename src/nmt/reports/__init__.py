"""National statistics and the yearly situation report (issue 5).

Agency lists imported by analysts, the yearly run (link -> capture table -> estimation -> tables ->
disclosure control), its outputs (HTML, PDF, XLSX, CSV) and the HTCDS exchange file. Reads go
through :mod:`nmt.reports.policies`; every run, import, deletion and export is audited.
"""
