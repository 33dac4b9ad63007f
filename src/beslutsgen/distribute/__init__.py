"""Expediering: the justerade §§ of a meeting to the recipients their roles stand for.

In: a `LoadedSammantrade` (load/), the profile's adressbok and expediering settings, the
send log, and `Options` (dry run, resend, the SMTP login the CLI read).
Out: messages sent by SMTP or written as .eml (a dry run), one print-ready PDF per
recipient by post (`printbundle`), the send log updated (`sendlog`) and the
expedieringslista as PDF and CSV (`expedieringslista`); `run` returns what happened.
`plan` decides who gets which §, `deliver` sends it, `mail` speaks SMTP; `expediering`
is the entry point.
"""

from beslutsgen.distribute.expediering import DistributeRun, Options, distribute, plan, run

__all__ = ["DistributeRun", "Options", "distribute", "plan", "run"]
