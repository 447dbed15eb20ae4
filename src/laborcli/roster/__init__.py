"""The labour-force roster: the village sheet's rules, importing it, the current state, the figures, households and history."""
