"""Reports: the self-contained HTML report for desk officers and the CSV / XLSX / JSON tables."""
