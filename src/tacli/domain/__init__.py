"""The rules over one engagement, each defined once: frameworks, hours, reports, duties, intensive TA, obligations, figures and status facts."""
