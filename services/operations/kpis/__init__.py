"""KPIs of work centers and departments: OEE, utilisation, throughput, WIP, adherence."""
