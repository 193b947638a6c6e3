"""The 绩效自评表 kinds (transfer and project): the workbook table reader and the model
rules evaluate."""
