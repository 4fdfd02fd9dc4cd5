"""Understanding a candidate turn before deciding anything: speech acts, facts asked for, claims, coverage."""
