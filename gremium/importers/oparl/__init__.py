"""`gremium import-oparl URL`: mirror another OParl 1.0/1.1 server (a System or a Body).

The mirror keeps every source object's id and content digest (`models.MirroredObject`),
so a second run changes nothing and a later one asks only for what changed. Start at
`mirror.run`.
"""
