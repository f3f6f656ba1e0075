/** The wholesale catalog with the prices the user may see; the operator adds items. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useDeferredValue, useState, type FormEvent } from 'react';
import { api, query } from '../../api/client';
import type { CatalogItem, Page } from '../../api/types';
import { getSession } from '../../auth/session';
import { Dialog } from '../../ui/Dialog';
import { formatMoney, humanize } from '../../ui/format';
import { fieldErrors, FormError, formValues, SelectField, TextField } from '../../ui/forms';
import { PageHeader } from '../../ui/PageHeader';
import { Pager } from '../../ui/Pager';
import { EmptyState, QueryState } from '../../ui/states';
import { useToast } from '../../ui/toast';
import { FormActions } from '../../ui/FormActions';

export const CATEGORIES: CatalogItem['category'][] = ['compute', 'storage', 'network', 'licence', 'service'];

export function useCatalog(params: { category?: string; q?: string; page?: number; pageSize?: number; retired?: 'true' | 'false' }) {
  return useQuery({
    queryKey: ['catalog', params],
    queryFn: () => api.get<Page<CatalogItem>>(`/catalog/items${query({ pageSize: 50, ...params })}`),
    placeholderData: keepPreviousData,
  });
}

export default function CatalogPage() {
  const [category, setCategory] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const q = useDeferredValue(search);
  const principal = getSession()?.principal;
  const items = useCatalog({ category, q, page });
  const isOperator = principal?.partyKind === 'operator';
  return (
    <>
      <PageHeader
        title="Catalog"
        description={
          isOperator ? 'Wholesale items and the price in force per unit per month.' : 'What you can sell: your cost and your list price per unit per month.'
        }
        actions={
          principal?.roles.includes('operator-admin') && (
            <button type="button" className="button button--primary" onClick={() => setAdding(true)}>
              Add an item
            </button>
          )
        }
      />
      <form className="filters" role="search" aria-label="Search the catalog" onSubmit={(e) => e.preventDefault()}>
        <label>
          Category
          <select
            value={category}
            onChange={(e) => {
              setCategory(e.target.value);
              setPage(1);
            }}
          >
            <option value="">All categories</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {humanize(c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          SKU or name
          <input
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
          />
        </label>
      </form>
      <QueryState query={items} loadingLabel="Loading the catalog…" isEmpty={(d) => d.items.length === 0} empty={<EmptyState title="No item matches" />}>
        {(data) => (
          <>
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Catalog items</caption>
                <thead>
                  <tr>
                    <th scope="col">SKU</th>
                    <th scope="col">Item</th>
                    <th scope="col">Category</th>
                    <th scope="col">Unit</th>
                    {isOperator ? (
                      <th scope="col" className="num">
                        Wholesale price
                      </th>
                    ) : (
                      <>
                        <th scope="col" className="num">
                          Your cost
                        </th>
                        <th scope="col" className="num">
                          Your list price
                        </th>
                      </>
                    )}
                    <th scope="col">State</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((item) => (
                    <tr key={item.sku}>
                      <td className="mono">{item.sku}</td>
                      <td>{item.name}</td>
                      <td>{humanize(item.category)}</td>
                      <td>{item.unit}</td>
                      {isOperator ? (
                        <td className="num">{item.wholesalePrice ? formatMoney(item.wholesalePrice.unitPrice, item.wholesalePrice.currency) : '—'}</td>
                      ) : (
                        <>
                          <td className="num">{item.yourPrices ? formatMoney(item.yourPrices.unitCost, item.yourPrices.currency) : '—'}</td>
                          <td className="num">
                            {item.yourPrices?.clientUnitPrice ? formatMoney(item.yourPrices.clientUnitPrice, item.yourPrices.currency) : '—'}
                          </td>
                        </>
                      )}
                      <td>{item.retired ? <span className="badge badge--retired">Retired</span> : <span className="badge badge--active">Available</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager meta={data.meta} onPage={setPage} label="Catalog pages" />
          </>
        )}
      </QueryState>
      {adding && <AddItemDialog onClose={() => setAdding(false)} />}
    </>
  );
}

const ITEM_FIELDS = ['sku', 'name', 'category', 'unit', 'unitPrice', 'currency', 'effectiveFrom'];

function AddItemDialog({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const notify = useToast();
  const create = useMutation({
    mutationFn: (body: Record<string, string>) => api.post<CatalogItem>('/catalog/items', body),
    onSuccess: (item) => {
      notify(`${item.sku} added to the catalog`);
      void queryClient.invalidateQueries({ queryKey: ['catalog'] });
      onClose();
    },
  });
  const errors = fieldErrors(create.error);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate(formValues(event.currentTarget));
  };
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Add a catalog item">
      <form onSubmit={submit} noValidate>
        <FormError error={create.error} fields={ITEM_FIELDS} />
        <TextField label="SKU" name="sku" required error={errors.sku} hint="Upper-case letters, digits, “.”, “_” or “-”, e.g. GPU-A100." autoFocus />
        <TextField label="Name" name="name" required error={errors.name} />
        <SelectField label="Category" name="category" error={errors.category} defaultValue="compute">
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {humanize(c)}
            </option>
          ))}
        </SelectField>
        <TextField label="Unit" name="unit" required error={errors.unit} hint="What one unit is, e.g. GB or vCPU." />
        <TextField
          label="Wholesale price per unit per month (optional)"
          name="unitPrice"
          inputMode="decimal"
          error={errors.unitPrice}
          hint="A decimal such as 12.50."
        />
        <FormActions onCancel={onClose} submitLabel="Add item" pendingLabel="Adding…" pending={create.isPending} />
      </form>
    </Dialog>
  );
}
