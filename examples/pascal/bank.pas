PROGRAM Bank;
{ A tiny bank: accounts as records, transactions in an array,
  procedures with VAR parameters, CASE, REPEAT..UNTIL and IF..ELSE IF chains. }

CONST
  MaxAccounts = 4;
  Overdraft = -100.0;
  BankName = 'O''Reilly & Sons Savings';  // a doubled quote inside a string

TYPE
  Account = RECORD
    Owner : STRING;
    Balance : REAL;
    Frozen : BOOLEAN;
  END;
  Ledger = ARRAY [1..MaxAccounts] OF Account;

VAR
  Accounts : Ledger;
  Ops : ARRAY [1..8] OF CHAR;
  Amounts : ARRAY [1..8] OF REAL;
  Targets : ARRAY [1..8] OF INTEGER;
  I, Failed : INTEGER;

(* Set up one account. *)
PROCEDURE Open(VAR A : Account; Name : STRING; Deposit : REAL);
BEGIN
  A.Owner := Name;
  A.Balance := Deposit;
  A.Frozen := FALSE
END;

FUNCTION CanWithdraw(A : Account; Amount : REAL) : BOOLEAN;
BEGIN
  IF A.Frozen THEN
    CanWithdraw := FALSE
  ELSE IF Amount <= 0 THEN
    CanWithdraw := FALSE
  ELSE
    CanWithdraw := A.Balance - Amount >= Overdraft
END;

PROCEDURE Withdraw(VAR A : Account; Amount : REAL; VAR Errors : INTEGER);
BEGIN
  IF CanWithdraw(A, Amount) THEN
    A.Balance := A.Balance - Amount
  ELSE
  BEGIN
    WriteLn('  refused: ', A.Owner, ' cannot withdraw ', Amount);
    Errors := Errors + 1
  END
END;

FUNCTION Describe(A : Account) : STRING;
BEGIN
  IF A.Frozen THEN
    Describe := 'frozen'
  ELSE IF A.Balance < 0 THEN
    Describe := 'overdrawn'
  ELSE IF A.Balance < 50 THEN
    Describe := 'low'
  ELSE
    Describe := 'ok'
END;

PROCEDURE Report(VAR L : Ledger);
VAR
  K : INTEGER;
BEGIN
  WriteLn(BankName);
  FOR K := 1 TO MaxAccounts DO
    WriteLn('  ', L[K].Owner, ': ', L[K].Balance, ' (', Describe(L[K]), ')')
END;

BEGIN
  Open(Accounts[1], 'Ada', 120.0);
  Open(Accounts[2], 'Blaise', 15.5);
  Open(Accounts[3], 'Charles', 0.0);
  Open(Accounts[4], 'Dorothy', 999.99);
  Accounts[3].Frozen := TRUE;

  { d = deposit, w = withdraw, f = freeze, u = unfreeze }
  Ops[1] := 'd'; Targets[1] := 2; Amounts[1] := 30.0;
  Ops[2] := 'w'; Targets[2] := 1; Amounts[2] := 200.0;
  Ops[3] := 'w'; Targets[3] := 3; Amounts[3] := 10.0;
  Ops[4] := 'u'; Targets[4] := 3; Amounts[4] := 0.0;
  Ops[5] := 'w'; Targets[5] := 3; Amounts[5] := 10.0;
  Ops[6] := 'w'; Targets[6] := 2; Amounts[6] := 500.0;
  Ops[7] := 'f'; Targets[7] := 4; Amounts[7] := 0.0;
  Ops[8] := 'x'; Targets[8] := 1; Amounts[8] := 1.0;

  Failed := 0;
  I := 0;
  REPEAT
    I := I + 1;
    CASE Ops[I] OF
      'd': Accounts[Targets[I]].Balance := Accounts[Targets[I]].Balance + Amounts[I];
      'w': Withdraw(Accounts[Targets[I]], Amounts[I], Failed);
      'f', 'u': Accounts[Targets[I]].Frozen := Ops[I] = 'f'
    ELSE
      WriteLn('  unknown operation ''', Ops[I], '''');
      Failed := Failed + 1
    END
  UNTIL I >= 8;

  Report(Accounts);
  IF Failed > 0 THEN
    WriteLn(Failed, ' operations failed')
END.
