"""Production's routings as operations knows them: which operation may overlap the one before."""
