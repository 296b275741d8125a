"""The main screen's collaborators: plain objects that hold the console's behaviour (the session's
lifecycle and reads, sending, chat commands, the keys' flows, copying, notices) and talk to the
screen through small view protocols, so each can be driven without Textual."""
