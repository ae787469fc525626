"""In-app notifications (a list with an unread count in the header), mailed as well when the
deployment configures an SMTP server. Only ever sent to users who may see the object."""
