"""The Friday ranking: annual targets per village and the weekly red and black lists."""
