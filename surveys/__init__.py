"""What the community consultation and the employer survey share: a questionnaire that
opens and closes, answer lists staff edit, and findings staff publish once it has closed.
Each app keeps only what is its own (its questions, answers, figures and exports)."""
