"""Expediering: the justerade §§ of a meeting to the recipients their roles stand for, and
the kallelse with the sammanträdeshandlingar to those the organ's `kallas:` names.

In: a `LoadedSammantrade` (load/), the profile's adressbok, organ and expediering
settings, the send log, and `Options` (dry run, resend, the SMTP login the CLI read).
Out: messages sent by SMTP or written as .eml (a dry run), one print-ready PDF per
recipient by post (`printbundle`), the send log updated (`sendlog`) and the
expedieringslista as PDF, DOCX and CSV (`expedieringslista`); `run` returns what happened.
`plan` decides who gets which §, `utdrag` and `kallelse` what a message carries and
says, `deliver` sends it, `mail` speaks SMTP; `expediering` is the entry point.
"""

from beslutsgen.distribute.expediering import DistributeRun, Options, distribute, plan, run

__all__ = ["DistributeRun", "Options", "distribute", "plan", "run"]
