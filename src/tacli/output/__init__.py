"""What tacli shows and renders: check formats, report views, templates and their sandbox, the site, the due feed and exports."""
