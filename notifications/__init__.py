"""Every email the portal sends: one-off emails sent once by key, the pending-task outbox
that survives a broker outage, the reminders engine and its log, iCalendar invitations."""
