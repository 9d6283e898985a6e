"""QObjects that own timers and expose signals."""
